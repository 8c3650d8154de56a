# exercise: tensors_sum_to_shape
# why: averages instead of summing over the broadcast axes
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    out = grad.sum(axis=tuple(range(lead))) if lead else grad
=======
    out = grad.mean(axis=tuple(range(lead))) if lead else grad
>>>>>>> replacement
<<<<<<< reference
        out = out.sum(axis=axes, keepdims=True)
=======
        out = out.mean(axis=axes, keepdims=True)
>>>>>>> replacement
