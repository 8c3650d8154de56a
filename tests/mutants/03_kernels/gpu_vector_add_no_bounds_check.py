# exercise: kernels_vector_add_kernel
# why: no bounds check, so the spare threads of the last block index past the end
@cuda.jit
def vector_add_kernel(a, b, out):
    i = cuda.grid(1)
    out[i] = a[i] + b[i]
