# exercise: tensors_broadcast_to
# why: returns a writeable view, so a write lands in many positions at once
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return as_strided(a, shape=shape, strides=tuple(strides), writeable=False)
=======
    return as_strided(a, shape=shape, strides=tuple(strides), writeable=True)
>>>>>>> replacement
