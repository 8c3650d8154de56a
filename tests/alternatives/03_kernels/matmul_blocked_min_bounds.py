# exercise: kernels_matmul_blocked
# why: explicit min() tile bounds, inner-dimension loop outermost, np.matmul into a temporary
def matmul_blocked(A, B, block_size=64):
    m, k, n = matmul_shapes(A, B)
    if not isinstance(block_size, (int, np.integer)) or block_size <= 0:
        raise ValueError(f"block_size={block_size!r} must be a positive integer")
    C = np.zeros((m, n), dtype=np.result_type(A.dtype, B.dtype))
    for p0 in range(0, k, block_size):
        p1 = min(p0 + block_size, k)
        for i0 in range(0, m, block_size):
            i1 = min(i0 + block_size, m)
            for j0 in range(0, n, block_size):
                j1 = min(j0 + block_size, n)
                C[i0:i1, j0:j1] += np.matmul(A[i0:i1, p0:p1], B[p0:p1, j0:j1])
    return C
