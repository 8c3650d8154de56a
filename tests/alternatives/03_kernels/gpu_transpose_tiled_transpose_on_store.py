# exercise: kernels_transpose_tiled
# why: transposes on the way into the tile (tile[tx, r]) and reads its rows back; counted loop
@cuda.jit
def transpose_tiled_kernel(a, out):
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    x0, y0 = cuda.blockIdx.x * TRANSPOSE_TILE, cuda.blockIdx.y * TRANSPOSE_TILE
    tile = cuda.shared.array((PADDED_TILE, PADDED_TILE), dtype=a.dtype)
    for k in range(TRANSPOSE_TILE // TRANSPOSE_ROWS):
        r = ty + k * TRANSPOSE_ROWS
        if y0 + r < a.shape[0] and x0 + tx < a.shape[1]:
            tile[tx, r] = a[y0 + r, x0 + tx]
    cuda.syncthreads()
    for k in range(TRANSPOSE_TILE // TRANSPOSE_ROWS):
        r = ty + k * TRANSPOSE_ROWS
        if x0 + r < out.shape[0] and y0 + tx < out.shape[1]:
            out[x0 + r, y0 + tx] = tile[r, tx]
