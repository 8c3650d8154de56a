# exercise: kernels_transpose_tiled
# why: an unpadded 32 x 32 tile (a 32-way bank conflict on each column read) read through an inner
# function, with a lane-dependent number of throw-away calls first, so that a tracer keyed on the
# inner function's own code location would see each lane's column read as a different warp access
@cuda.jit
def transpose_tiled_kernel(a, out):
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    x0, y0 = cuda.blockIdx.x * TRANSPOSE_TILE, cuda.blockIdx.y * TRANSPOSE_TILE
    tile = cuda.shared.array((TRANSPOSE_TILE, TRANSPOSE_TILE), dtype=a.dtype)

    def read(i, j):
        return tile[i, j]

    for r in range(ty, TRANSPOSE_TILE, TRANSPOSE_ROWS):
        if y0 + r < a.shape[0] and x0 + tx < a.shape[1]:
            tile[r, tx] = a[y0 + r, x0 + tx]
    cuda.syncthreads()
    for r in range(ty, TRANSPOSE_TILE, TRANSPOSE_ROWS):
        for _ in range(tx):
            read(0, (ty + 1) % TRANSPOSE_TILE)
        v = read(tx, r)
        if x0 + r < out.shape[0] and y0 + tx < out.shape[1]:
            out[x0 + r, y0 + tx] = v
