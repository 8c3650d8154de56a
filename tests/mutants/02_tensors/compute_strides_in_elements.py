# exercise: tensors_compute_strides
# why: strides counted in elements, the item size forgotten
def compute_strides(shape: Shape, itemsize: int, order: str = "C") -> Strides:
    """Byte strides of a freshly allocated, contiguous array.

    Args:
        shape: the size of each axis (non-negative integers).
        itemsize: bytes per element, for example 8 for float64.
        order: "C" (row-major, last axis fastest) or "F" (column-major, first axis fastest).

    Returns:
        One stride per axis, in bytes, as a tuple of ints.

    Raises:
        ValueError: a negative axis size, an itemsize below 1, or an order other than "C"/"F".
    """
    # about 12 lines
    if order not in ("C", "F"):
        raise ValueError(f"order must be 'C' or 'F', got {order!r}")
    if itemsize < 1:
        raise ValueError(f"itemsize must be at least 1 byte, got {itemsize}")
    shape = tuple(int(n) for n in shape)
    for axis, n in enumerate(shape):
        if n < 0:
            raise ValueError(f"axis {axis} has negative size {n}")
    strides = [0] * len(shape)
    step = 1
    axes = range(len(shape) - 1, -1, -1) if order == "C" else range(len(shape))
    for axis in axes:
        strides[axis] = step
        step *= max(shape[axis], 1)
    return tuple(strides)
