# exercise: tensors_linear_offset
# why: no bounds check: an index past the end silently gives an offset outside the array
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        if not -n <= i < n:
            raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
=======
>>>>>>> replacement
