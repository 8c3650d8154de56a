# exercise: tensors_linear_offset
# why: ignores the strides and assumes a C-contiguous layout with the last stride as item size
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    offset = 0
    for axis, (i, n, stride) in enumerate(zip(index, shape, strides)):
=======
    offset = 0
    itemsize = abs(int(strides[-1])) if strides else 0
    for axis, (i, n, stride) in enumerate(zip(index, shape, strides)):
>>>>>>> replacement
<<<<<<< reference
        offset += (i % n) * int(stride)
=======
        offset += (i % n) * itemsize * math.prod(int(m) for m in shape[axis + 1:])
>>>>>>> replacement
