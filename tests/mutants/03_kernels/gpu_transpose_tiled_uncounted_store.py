# exercise: kernels_transpose_tiled
# why: the values go down the columns of out through the NumPy array behind it (out.data), which a
# tracer that exposed it would not count and a GPU kernel cannot do; zeros stored along the rows of
# out beforehand supply the counted, coalesced stores
@cuda.jit
def transpose_tiled_kernel(a, out):
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    x0, y0 = cuda.blockIdx.x * TRANSPOSE_TILE, cuda.blockIdx.y * TRANSPOSE_TILE
    tile = cuda.shared.array((TRANSPOSE_TILE, PADDED_TILE), dtype=a.dtype)
    for r in range(ty, TRANSPOSE_TILE, TRANSPOSE_ROWS):
        if y0 + r < a.shape[0] and x0 + tx < a.shape[1]:
            tile[r, tx] = a[y0 + r, x0 + tx]
        if x0 + r < out.shape[0] and y0 + tx < out.shape[1]:
            out[x0 + r, y0 + tx] = 0
    cuda.syncthreads()
    for r in range(ty, TRANSPOSE_TILE, TRANSPOSE_ROWS):
        if y0 + r < a.shape[0] and x0 + tx < a.shape[1]:
            out.data[x0 + tx, y0 + r] = tile[r, tx]
