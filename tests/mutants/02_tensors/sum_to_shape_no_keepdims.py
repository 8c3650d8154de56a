# exercise: tensors_sum_to_shape
# why: sums the size-1 axes without keepdims, so the result loses those axes
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        out = out.sum(axis=axes, keepdims=True)
    return np.asarray(out).reshape(shape)
=======
        out = out.sum(axis=axes)
    return np.asarray(out)
>>>>>>> replacement
