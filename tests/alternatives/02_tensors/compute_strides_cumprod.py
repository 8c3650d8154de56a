# exercise: tensors_compute_strides
# why: strides from a cumulative product of the reversed shape
def compute_strides(shape, itemsize, order="C"):
    if order not in ("C", "F") or itemsize < 1 or any(n < 0 for n in shape):
        raise ValueError(f"bad arguments: shape {shape}, itemsize {itemsize}, order {order!r}")
    sizes = [max(int(n), 1) for n in shape]
    if order == "C":
        sizes = sizes[::-1]
    steps = np.cumprod([itemsize] + sizes[:-1]).tolist() if sizes else []
    if order == "C":
        steps = steps[::-1]
    return tuple(int(s) for s in steps)
