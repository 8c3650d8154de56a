# exercise: tensors_broadcast_to
# why: keeps the input's stride on size-1 axes instead of 0, so stretched axes read past the data
def broadcast_to(a: np.ndarray, shape: Shape) -> np.ndarray:
    """A read-only view of ``a`` stretched to ``shape``, without copying (do not call np.broadcast_to).

    Args:
        a: an array (or anything ``np.asarray`` accepts).
        shape: the target shape; ``a.shape`` must broadcast to exactly this shape.

    Returns:
        A read-only view sharing memory with ``a``, with stride 0 on every new leading axis and on
        every axis where ``a`` has size 1 and ``shape`` does not.

    Raises:
        ValueError: ``a.shape`` cannot be broadcast to ``shape``.
    """
    # about 10 lines
    a = np.asarray(a)
    shape = tuple(int(n) for n in shape)
    try:
        compatible = len(shape) >= a.ndim and broadcast_shapes(a.shape, shape) == shape
    except ValueError:
        compatible = False
    if not compatible:
        raise ValueError(f"cannot broadcast an array of shape {a.shape} to shape {shape}")
    lead = len(shape) - a.ndim
    strides = [0] * lead + [
        stride for n, m, stride in zip(a.shape, shape[lead:], a.strides)
    ]
    return as_strided(a, shape=shape, strides=tuple(strides), writeable=False)
