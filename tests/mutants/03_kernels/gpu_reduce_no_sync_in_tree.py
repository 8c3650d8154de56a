# exercise: kernels_reduce_sum_kernel
# why: no syncthreads between rounds, so a thread adds a partner's value before it is final
@cuda.jit
def reduce_sum_kernel(x, partial):
    buf = cuda.shared.array(THREADS_PER_BLOCK, dtype=partial.dtype)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    buf[tid] = x[i] if i < x.shape[0] else 0
    cuda.syncthreads()
    stride = cuda.blockDim.x // 2
    while stride > 0:
        if tid < stride:
            buf[tid] += buf[tid + stride]
        stride //= 2
    if tid == 0:
        partial[cuda.blockIdx.x] = buf[0]
