# exercise: kernels_reduce_sum_kernel
# why: every thread adds its element into partial[block] without an atomic: a race on a GPU,
# even though threads that take turns one at a time would get the right sum
@cuda.jit
def reduce_sum_kernel(x, partial):
    buf = cuda.shared.array(THREADS_PER_BLOCK, dtype=partial.dtype)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    if tid == 0:
        partial[cuda.blockIdx.x] = 0
    cuda.syncthreads()
    if i < x.shape[0]:
        partial[cuda.blockIdx.x] += x[i]
    buf[tid] = 0
