# exercise: kernels_matmul_blocked
# why: one BLAS call on the whole matrices; block_size is checked and then ignored
def matmul_blocked(A, B, block_size=64):
    matmul_shapes(A, B)
    if isinstance(block_size, bool) or not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise ValueError(f"block_size must be an integer >= 1, got {block_size!r}")
    return A @ B
