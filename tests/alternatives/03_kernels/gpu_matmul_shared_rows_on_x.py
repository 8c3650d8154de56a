# exercise: kernels_matmul_kernel_shared
# why: rows on the x axis (as in Numba's documentation) and the tile guarded with an if/else
@cuda.jit
def matmul_kernel_shared(A, B, C):
    sA = cuda.shared.array(shape=(TILE, TILE), dtype=A.dtype)
    sB = cuda.shared.array(shape=(TILE, TILE), dtype=B.dtype)
    x, y = cuda.grid(2)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    total = 0.0
    ntiles = (A.shape[1] - 1) // TILE + 1
    for t in range(ntiles):
        sA[tx, ty] = 0.0
        sB[tx, ty] = 0.0
        if x < A.shape[0] and ty + t * TILE < A.shape[1]:
            sA[tx, ty] = A[x, ty + t * TILE]
        if y < B.shape[1] and tx + t * TILE < B.shape[0]:
            sB[tx, ty] = B[tx + t * TILE, y]
        cuda.syncthreads()
        for j in range(TILE):
            total += sA[tx, j] * sB[j, ty]
        cuda.syncthreads()
    if x < C.shape[0] and y < C.shape[1]:
        C[x, y] = total
