# exercise: capstone_matmul_trace
# why: plain Python loops over the steps, one generator per order
def matmul_trace(n: int, order: str, block: int = 8) -> np.ndarray:
    """The byte addresses that C = A @ B (n x n, float32, row-major) accesses, in order."""
    if order not in ("ijk", "ipj", "blocked"):
        raise ValueError(f"unknown order {order!r}")
    if n <= 0 or block <= 0:
        raise ValueError(f"n={n} and block={block} must be positive")

    def steps():
        if order == "ijk":
            for i in range(n):
                for j in range(n):
                    for p in range(n):
                        yield i, p, j
        elif order == "ipj":
            for i in range(n):
                for p in range(n):
                    for j in range(n):
                        yield i, p, j
        else:
            for i0 in range(0, n, block):
                for j0 in range(0, n, block):
                    for p0 in range(0, n, block):
                        for i in range(i0, min(i0 + block, n)):
                            for p in range(p0, min(p0 + block, n)):
                                for j in range(j0, min(j0 + block, n)):
                                    yield i, p, j

    out = []
    for i, p, j in steps():
        out += [4 * (i * n + p), 4 * n * n + 4 * (p * n + j), 8 * n * n + 4 * (i * n + j)]
    return np.array(out, dtype=np.int64)
