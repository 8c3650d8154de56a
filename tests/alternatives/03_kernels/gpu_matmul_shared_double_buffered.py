# exercise: kernels_matmul_kernel_shared
# why: double buffering: two tiles of A and of B, the next tile loaded while the current one is
# used, so one barrier per tile plus one instead of two per tile
@cuda.jit
def matmul_kernel_shared(A, B, C):
    sA = cuda.shared.array((2, TILE, TILE), dtype=A.dtype)
    sB = cuda.shared.array((2, TILE, TILE), dtype=B.dtype)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    col, row = cuda.grid(2)
    m, k, n = A.shape[0], A.shape[1], B.shape[1]
    tiles = (k + TILE - 1) // TILE
    acc = C.dtype.type(0)
    sA[0, ty, tx] = A[row, tx] if row < m and tx < k else 0.0
    sB[0, ty, tx] = B[ty, col] if ty < k and col < n else 0.0
    cuda.syncthreads()
    for t in range(tiles):
        cur = t % 2
        if t + 1 < tiles:
            a_col = (t + 1) * TILE + tx
            b_row = (t + 1) * TILE + ty
            sA[1 - cur, ty, tx] = A[row, a_col] if row < m and a_col < k else 0.0
            sB[1 - cur, ty, tx] = B[b_row, col] if b_row < k and col < n else 0.0
        for j in range(TILE):
            acc += sA[cur, ty, j] * sB[cur, j, tx]
        cuda.syncthreads()
    if row < m and col < n:
        C[row, col] = acc
