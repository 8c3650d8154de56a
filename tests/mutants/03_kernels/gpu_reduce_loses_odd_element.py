# exercise: kernels_reduce_sum_kernel
# why: halves the count of live values each round, so an odd count loses its last value
@cuda.jit
def reduce_sum_kernel(x, partial):
    buf = cuda.shared.array(THREADS_PER_BLOCK, dtype=partial.dtype)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    start = cuda.blockIdx.x * cuda.blockDim.x
    count = min(cuda.blockDim.x, x.shape[0] - start)
    if i < x.shape[0]:
        buf[tid] = x[i]
    cuda.syncthreads()
    while count > 1:
        half = count // 2
        if tid < half:
            buf[tid] += buf[tid + half]
        cuda.syncthreads()
        count = half
    if tid == 0:
        partial[cuda.blockIdx.x] = buf[0]
