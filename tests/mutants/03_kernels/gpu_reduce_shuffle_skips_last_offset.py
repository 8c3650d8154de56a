# exercise: kernels_reduce_sum_kernel
# why: the shuffle loop stops before offset 1, so lane 0 holds the sum of every other lane
@cuda.jit
def reduce_sum_kernel(x, partial):
    warp_sums = cuda.shared.array(WARPS_PER_BLOCK, dtype=partial.dtype)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    lane, warp = tid % WARP, tid // WARP
    v = partial.dtype.type(0)
    if i < x.shape[0]:
        v = partial.dtype.type(x[i])
    offset = WARP // 2
    while offset > 1:
        v += cuda.shfl_down_sync(FULL_MASK, v, offset)
        offset //= 2
    if lane == 0:
        warp_sums[warp] = v
    cuda.syncthreads()
    if tid == 0:
        total = partial.dtype.type(0)
        for w in range(WARPS_PER_BLOCK):
            total += warp_sums[w]
        partial[cuda.blockIdx.x] = total
