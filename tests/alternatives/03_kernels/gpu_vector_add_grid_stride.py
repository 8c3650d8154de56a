# exercise: kernels_vector_add_kernel
# why: a grid-stride loop, correct for any grid size
@cuda.jit
def vector_add_kernel(a, b, out):
    start, step = cuda.grid(1), cuda.gridsize(1)
    for i in range(start, out.size, step):
        out[i] = a[i] + b[i]
