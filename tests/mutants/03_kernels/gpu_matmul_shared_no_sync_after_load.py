# exercise: kernels_matmul_kernel_shared
# why: no syncthreads after loading, so threads read tile slots others have not written yet
@cuda.jit
def matmul_kernel_shared(A, B, C):
    sA = cuda.shared.array((TILE, TILE), dtype=A.dtype)
    sB = cuda.shared.array((TILE, TILE), dtype=B.dtype)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    col, row = cuda.grid(2)
    m, k, n = A.shape[0], A.shape[1], B.shape[1]
    acc = 0.0
    for t in range((k + TILE - 1) // TILE):
        a_col = t * TILE + tx
        b_row = t * TILE + ty
        sA[ty, tx] = A[row, a_col] if row < m and a_col < k else 0.0
        sB[ty, tx] = B[b_row, col] if b_row < k and col < n else 0.0
        for j in range(TILE):
            acc += sA[ty, j] * sB[j, tx]
        cuda.syncthreads()
    if row < m and col < n:
        C[row, col] = acc
