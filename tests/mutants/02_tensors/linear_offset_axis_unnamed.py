# exercise: tensors_linear_offset
# why: IndexError message does not name the axis
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
=======
            raise IndexError(f"index {i} is out of bounds")
>>>>>>> replacement
