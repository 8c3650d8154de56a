# exercise: kernels_transpose_naive
# why: the global indices spelled out from blockIdx, blockDim and threadIdx, bounds taken from out
@cuda.jit
def transpose_naive_kernel(a, out):
    col = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    row = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    if col >= out.shape[0] or row >= out.shape[1]:
        return
    out[col, row] = a[row, col]
