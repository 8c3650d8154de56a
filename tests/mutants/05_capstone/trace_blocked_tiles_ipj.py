# exercise: capstone_matmul_trace
# why: walks the tiles in the order i0, p0, j0 instead of chapter 03's i0, j0, p0
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            for j0 in range(0, n, block):
                for p0 in range(0, n, block):
=======
            for p0 in range(0, n, block):
                for j0 in range(0, n, block):
>>>>>>> replacement
