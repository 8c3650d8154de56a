# exercise: tensors_compute_strides
# why: C and F swapped: the first axis is treated as the fastest in C order
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    axes = range(len(shape) - 1, -1, -1) if order == "C" else range(len(shape))
=======
    axes = range(len(shape)) if order == "C" else range(len(shape) - 1, -1, -1)
>>>>>>> replacement
