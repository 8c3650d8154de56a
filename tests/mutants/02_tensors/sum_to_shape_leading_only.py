# exercise: tensors_sum_to_shape
# why: sums only the extra leading axes and forgets the stretched size-1 axes
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        out = out.sum(axis=axes, keepdims=True)
=======
        out = out[tuple(slice(0, 1) if k in axes else slice(None) for k in range(out.ndim))]
>>>>>>> replacement
