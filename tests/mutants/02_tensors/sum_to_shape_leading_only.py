# exercise: tensors_sum_to_shape
# why: sums only the extra leading axes and forgets the stretched size-1 axes
def sum_to_shape(grad: np.ndarray, shape: Shape) -> np.ndarray:
    """Reduce ``grad`` (of the broadcast shape) to the gradient of an input of ``shape``.

    Args:
        grad: the upstream gradient, shaped like the broadcast result.
        shape: the shape of the input that was broadcast; it must broadcast to ``grad.shape``.

    Returns:
        An array of exactly ``shape``: ``grad`` summed over the leading axes ``shape`` lacks and
        over the axes where ``shape`` has size 1.

    Raises:
        ValueError: ``shape`` cannot be broadcast to ``grad.shape``.
    """
    # about 10 lines
    grad = np.asarray(grad)
    shape = tuple(int(n) for n in shape)
    try:
        compatible = len(shape) <= grad.ndim and broadcast_shapes(shape, grad.shape) == grad.shape
    except ValueError:
        compatible = False
    if not compatible:
        raise ValueError(f"shape {shape} does not broadcast to the gradient's shape {grad.shape}")
    lead = grad.ndim - len(shape)
    out = grad.sum(axis=tuple(range(lead))) if lead else grad
    axes = tuple(axis for axis, n in enumerate(shape) if n == 1 and out.shape[axis] != 1)
    if axes:
        out = out[tuple(slice(0, 1) if k in axes else slice(None) for k in range(out.ndim))]
    return np.asarray(out).reshape(shape)
