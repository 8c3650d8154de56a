# exercise: kernels_matmul_flops
# why: counts a multiply-add as one operation, half the FLOPs
def matmul_flops(m, k, n):
    if min(m, k, n) < 0:
        raise ValueError(f"dimensions must be >= 0, got {m}, {k}, {n}")
    return m * k * n
