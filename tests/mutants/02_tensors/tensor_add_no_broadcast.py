# exercise: tensors_tensor
# why: adds only tensors of equal shape, broadcasting just by matching sizes from the left
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            lead = len(shape) - t.ndim
=======
            lead = 0
            if t.ndim < len(shape):
                t = Tensor(t.numpy().reshape(t.shape + (1,) * (len(shape) - t.ndim)))
>>>>>>> replacement
