# exercise: capstone_miss_counts
# why: traces the blocked order with the default block size whatever block is asked for
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        counts[order] = Cache(capacity_bytes, line_bytes, ways).feed(matmul_trace(n, order, block)).misses
=======
        counts[order] = Cache(capacity_bytes, line_bytes, ways).feed(matmul_trace(n, order)).misses
>>>>>>> replacement
