# exercise: tensors_elementwise_op
# why: stretches only b, assuming a already has the full shape
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return np.asarray(op(broadcast_to(a, shape), broadcast_to(b, shape)))
=======
    return np.asarray(op(a, broadcast_to(b, a.shape)))
>>>>>>> replacement
