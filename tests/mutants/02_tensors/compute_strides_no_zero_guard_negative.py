# exercise: tensors_compute_strides
# why: accepts negative sizes and any order string other than C as F
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    if order not in ("C", "F"):
        raise ValueError(f"order must be 'C' or 'F', got {order!r}")
=======
>>>>>>> replacement
<<<<<<< reference
        if n < 0:
            raise ValueError(f"axis {axis} has negative size {n}")
=======
        pass
>>>>>>> replacement
