# exercise: capstone_matmul_trace
# why: lays the matrices out column-major (element [r, c] at r + c n)
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    trace[:, 0] = FLOAT_BYTES * (i * n + p)
    trace[:, 1] = base_b + FLOAT_BYTES * (p * n + j)
    trace[:, 2] = base_c + FLOAT_BYTES * (i * n + j)
=======
    trace[:, 0] = FLOAT_BYTES * (p * n + i)
    trace[:, 1] = base_b + FLOAT_BYTES * (j * n + p)
    trace[:, 2] = base_c + FLOAT_BYTES * (j * n + i)
>>>>>>> replacement
