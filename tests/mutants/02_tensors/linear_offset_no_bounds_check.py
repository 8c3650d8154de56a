# exercise: tensors_linear_offset
# why: no bounds check: an index past the end silently gives an offset outside the array
def linear_offset(index: tuple[int, ...], shape: Shape, strides: Strides) -> int:
    """Byte offset of element ``index`` from element ``(0, ..., 0)``.

    Negative indices count from the end of their axis, as in NumPy.

    Args:
        index: one integer per axis.
        shape: the size of each axis.
        strides: the byte stride of each axis (may be zero or negative).

    Returns:
        The offset in bytes, as an int.

    Raises:
        ValueError: ``index`` or ``strides`` has a different length than ``shape``.
        IndexError: an index is out of bounds; the message names the axis, as in
            "index 5 is out of bounds for axis 1 with size 4".
    """
    # about 10 lines
    if len(index) != len(shape) or len(strides) != len(shape):
        raise ValueError(
            f"index {tuple(index)} and strides {tuple(strides)} must both have one entry per "
            f"axis of shape {tuple(shape)}"
        )
    offset = 0
    for axis, (i, n, stride) in enumerate(zip(index, shape, strides)):
        i, n = int(i), int(n)
        offset += (i % n) * int(stride)
    return offset
