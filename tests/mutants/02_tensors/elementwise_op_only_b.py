# exercise: tensors_elementwise_op
# why: stretches only b, assuming a already has the full shape
def elementwise_op(a: np.ndarray, b: np.ndarray, op) -> np.ndarray:
    """Apply the binary ufunc ``op`` to ``a`` and ``b`` with broadcasting done by your own functions.

    Args:
        a, b: arrays (or anything ``np.asarray`` accepts).
        op: a binary function such as ``np.add``; call it only on two arrays of the same shape.

    Returns:
        ``op`` applied to the broadcast operands, with the broadcast shape.

    Raises:
        ValueError: the shapes do not broadcast.
    """
    # about 4 lines
    a, b = np.asarray(a), np.asarray(b)
    shape = broadcast_shapes(a.shape, b.shape)
    return np.asarray(op(a, broadcast_to(b, a.shape)))
