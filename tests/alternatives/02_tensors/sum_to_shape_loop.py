# exercise: tensors_sum_to_shape
# why: sums one axis at a time from the left with keepdims, then drops the leading axes
def sum_to_shape(grad, shape):
    grad = np.asarray(grad)
    lead = grad.ndim - len(shape)
    if lead < 0 or any(n != 1 and n != m for n, m in zip(shape, grad.shape[lead:])):
        raise ValueError(f"{shape} does not broadcast to {grad.shape}")
    out = grad
    for axis in range(grad.ndim):
        if axis < lead or (shape[axis - lead] == 1 and grad.shape[axis] != 1):
            out = out.sum(axis=axis, keepdims=True)
    return out.reshape(shape)
