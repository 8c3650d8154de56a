# exercise: capstone_miss_counts
# why: one access at a time through Cache.access, counting the misses itself
def miss_counts(n: int, capacity_bytes: int, line_bytes: int, ways: int, block: int = 8) -> dict[str, int]:
    """Cache misses of each matmul order, each counted from an empty cache."""
    out = {}
    for order in ("ijk", "ipj", "blocked"):
        cache = Cache(capacity_bytes=capacity_bytes, line_bytes=line_bytes, ways=ways)
        out[order] = sum(not cache.access(int(a)) for a in matmul_trace(n, order, block=block))
    return out
