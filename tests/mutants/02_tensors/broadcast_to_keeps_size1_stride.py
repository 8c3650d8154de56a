# exercise: tensors_broadcast_to
# why: keeps the input's stride on size-1 axes instead of 0, so stretched axes read past the data
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        stride if n == m else 0 for n, m, stride in zip(a.shape, shape[lead:], a.strides)
=======
        stride for n, m, stride in zip(a.shape, shape[lead:], a.strides)
>>>>>>> replacement
