# exercise: capstone_matmul_trace
# why: assumes the block divides n, so the last partial tile of each axis is dropped
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        for i0 in range(0, n, block):
            for j0 in range(0, n, block):
                for p0 in range(0, n, block):
=======
        for i0 in range(0, n - block + 1, block):
            for j0 in range(0, n - block + 1, block):
                for p0 in range(0, n - block + 1, block):
>>>>>>> replacement
