# exercise: kernels_transpose_tiled
# why: no transposing tile: the naive copy writes out down a column (32 sectors per warp store), while
# lanes 0 and 1 store their own element 15 times over, which brings the mean sectors per store down to
# 4; an unpadded shared array written along its rows, and never read, makes a show of a tile
@cuda.jit
def transpose_tiled_kernel(a, out):
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    x0, y0 = cuda.blockIdx.x * TRANSPOSE_TILE, cuda.blockIdx.y * TRANSPOSE_TILE
    tile = cuda.shared.array((TRANSPOSE_TILE, TRANSPOSE_TILE), dtype=a.dtype)
    for r in range(ty, TRANSPOSE_TILE, TRANSPOSE_ROWS):
        y, x = y0 + r, x0 + tx
        if y < a.shape[0] and x < a.shape[1]:
            v = a[y, x]
            tile[r, tx] = v
            for _ in range(15 if tx < 2 else 1):
                out[x, y] = v
