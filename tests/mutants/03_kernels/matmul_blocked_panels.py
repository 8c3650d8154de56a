# exercise: kernels_matmul_blocked
# why: tiles C but multiplies whole row and column panels, so the inner dimension is never tiled
def matmul_blocked(A, B, block_size=64):
    m, k, n = matmul_shapes(A, B)
    if isinstance(block_size, bool) or not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise ValueError(f"block_size must be an integer >= 1, got {block_size!r}")
    b = int(block_size)
    C = np.zeros((m, n), dtype=np.result_type(A, B))
    for i0 in range(0, m, b):
        for j0 in range(0, n, b):
            C[i0:i0 + b, j0:j0 + b] = np.matmul(A[i0:i0 + b, :], B[:, j0:j0 + b])
    return C
