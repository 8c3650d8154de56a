# exercise: tensors_broadcast_to
# why: materialises the broadcast with a copy instead of a zero-stride view
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return as_strided(a, shape=shape, strides=tuple(strides), writeable=False)
=======
    view = as_strided(a, shape=shape, strides=tuple(strides), writeable=False)
    return np.array(view)
>>>>>>> replacement
