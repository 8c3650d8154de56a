# exercise: capstone_miss_counts
# why: one cache for all three orders, so the later orders start warm
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    counts = {}
    for order in ORDERS:
        counts[order] = Cache(capacity_bytes, line_bytes, ways).feed(matmul_trace(n, order, block)).misses
=======
    counts = {}
    cache = Cache(capacity_bytes, line_bytes, ways)
    for order in ORDERS:
        counts[order] = cache.feed(matmul_trace(n, order, block)).misses
>>>>>>> replacement
