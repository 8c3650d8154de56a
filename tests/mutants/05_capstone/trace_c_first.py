# exercise: capstone_matmul_trace
# why: emits the update of C before the reads of A and B in each step
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    trace[:, 0] = FLOAT_BYTES * (i * n + p)
    trace[:, 1] = base_b + FLOAT_BYTES * (p * n + j)
    trace[:, 2] = base_c + FLOAT_BYTES * (i * n + j)
=======
    trace[:, 1] = FLOAT_BYTES * (i * n + p)
    trace[:, 2] = base_b + FLOAT_BYTES * (p * n + j)
    trace[:, 0] = base_c + FLOAT_BYTES * (i * n + j)
>>>>>>> replacement
