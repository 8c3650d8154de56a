# exercise: kernels_transpose_tiled
# why: covers the whole tile four rows at a time but copies straight from a to out, skipping shared memory
@cuda.jit
def transpose_tiled_kernel(a, out):
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    x0, y0 = cuda.blockIdx.x * TRANSPOSE_TILE, cuda.blockIdx.y * TRANSPOSE_TILE
    for r in range(ty, TRANSPOSE_TILE, TRANSPOSE_ROWS):
        if y0 + r < a.shape[0] and x0 + tx < a.shape[1]:
            out[x0 + tx, y0 + r] = a[y0 + r, x0 + tx]
