# exercise: kernels_transpose_naive
# why: no bounds check, so the threads of the last blocks past the edge of a index outside it
@cuda.jit
def transpose_naive_kernel(a, out):
    x, y = cuda.grid(2)
    out[x, y] = a[y, x]
