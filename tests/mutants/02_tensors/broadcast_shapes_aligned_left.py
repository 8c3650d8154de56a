# exercise: tensors_broadcast_shapes
# why: aligns shapes from the left (pads on the right) instead of from the right
def broadcast_shapes(*shapes: Shape) -> Shape:
    """The shape that NumPy broadcasting gives for operands of ``shapes``.

    Args:
        *shapes: any number of shapes (tuples of non-negative ints); none at all gives ``()``.

    Returns:
        The broadcast shape, as a tuple of ints.

    Raises:
        ValueError: two sizes on one axis differ and neither is 1; the message names both sizes
            and the axis.
    """
    # about 14 lines
    shapes = [tuple(int(n) for n in shape) for shape in shapes]
    ndim = max((len(shape) for shape in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        for k, n in enumerate(shape):
            axis = k
            if n < 0:
                raise ValueError(f"shape {shape} has a negative size {n}")
            if result[axis] == 1:
                result[axis] = n
            elif n != 1 and n != result[axis]:
                raise ValueError(
                    f"cannot broadcast size {result[axis]} with size {n} on axis {axis - ndim} "
                    f"(counted from the right; shapes {shapes})"
                )
    return tuple(result)
