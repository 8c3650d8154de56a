# exercise: kernels_matmul_kernel_shared
# why: declares the shared tiles and waits at two barriers per tile, but reads A and B from global
# memory in the inner loop: right answer, none of the saving tiling is for
@cuda.jit
def matmul_kernel_shared(A, B, C):
    sA = cuda.shared.array((TILE, TILE), dtype=A.dtype)
    sB = cuda.shared.array((TILE, TILE), dtype=B.dtype)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    col, row = cuda.grid(2)
    m, k, n = A.shape[0], A.shape[1], B.shape[1]
    acc = C.dtype.type(0)
    for t in range((k + TILE - 1) // TILE):
        cuda.syncthreads()
        if row < m and col < n:
            for j in range(t * TILE, min(t * TILE + TILE, k)):
                acc += A[row, j] * B[j, col]
        cuda.syncthreads()
    if row < m and col < n:
        C[row, col] = acc
