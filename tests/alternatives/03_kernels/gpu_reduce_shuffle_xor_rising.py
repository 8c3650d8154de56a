# exercise: kernels_reduce_sum_kernel
# why: a butterfly with shfl_xor_sync (every lane ends with the warp's sum), offsets rising, thread 0 adds the warp sums
@cuda.jit
def reduce_sum_kernel(x, partial):
    warp_sums = cuda.shared.array(WARPS_PER_BLOCK, dtype=partial.dtype)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    lane, warp = tid % WARP, tid // WARP
    v = partial.dtype.type(0)
    if i < x.shape[0]:
        v = partial.dtype.type(x[i])
    offset = 1
    while offset < WARP:
        v += cuda.shfl_xor_sync(FULL_MASK, v, offset)
        offset *= 2
    if lane == WARP - 1:  # any lane holds the sum
        warp_sums[warp] = v
    cuda.syncthreads()
    if tid == 0:
        total = warp_sums[0]
        for w in range(1, WARPS_PER_BLOCK):
            total += warp_sums[w]
        partial[cuda.blockIdx.x] = total
