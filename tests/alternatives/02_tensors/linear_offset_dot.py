# exercise: tensors_linear_offset
# why: normalises the index first, then one dot product with NumPy
def linear_offset(index, shape, strides):
    if not len(index) == len(shape) == len(strides):
        raise ValueError(f"index {index}, shape {shape} and strides {strides} differ in length")
    normalised = []
    for axis, (i, n) in enumerate(zip(index, shape)):
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError(f"index {index[axis]} is out of range on axis {axis} (size {n})")
        normalised.append(i)
    return int(np.dot(np.array(normalised, dtype=np.int64), np.array(strides, dtype=np.int64)))
