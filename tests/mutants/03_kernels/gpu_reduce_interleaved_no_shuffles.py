# exercise: kernels_reduce_sum_kernel
# why: a correct tree in shared memory (interleaved addressing), but no warp shuffles and a barrier per round
@cuda.jit
def reduce_sum_kernel(x, partial):
    buf = cuda.shared.array(THREADS_PER_BLOCK, dtype=partial.dtype)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    buf[tid] = 0
    if i < x.size:
        buf[tid] = x[i]
    cuda.syncthreads()
    stride = 1
    while stride < cuda.blockDim.x:
        if tid % (2 * stride) == 0:
            buf[tid] += buf[tid + stride]
        cuda.syncthreads()
        stride *= 2
    if tid == 0:
        partial[cuda.blockIdx.x] = buf[0]
