# exercise: tensors_elementwise_op
# why: calls op on the raw operands and leaves the broadcasting to NumPy
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return np.asarray(op(broadcast_to(a, shape), broadcast_to(b, shape)))
=======
    return np.asarray(op(a, b))
>>>>>>> replacement
