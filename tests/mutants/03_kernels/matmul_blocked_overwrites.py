# exercise: kernels_matmul_blocked
# why: assigns each tile product instead of accumulating over the inner-dimension tiles
def matmul_blocked(A, B, block_size=64):
    m, k, n = matmul_shapes(A, B)
    if block_size < 1:
        raise ValueError(f"block_size must be >= 1, got {block_size}")
    b = block_size
    C = np.zeros((m, n), dtype=np.result_type(A, B))
    for i0 in range(0, m, b):
        for j0 in range(0, n, b):
            for p0 in range(0, k, b):
                C[i0:i0 + b, j0:j0 + b] = A[i0:i0 + b, p0:p0 + b] @ B[p0:p0 + b, j0:j0 + b]
    return C
