# exercise: kernels_reduce_sum_kernel
# why: no warp reduction: five shuffles whose results are thrown away, then every thread adds its
# element to partial[block] with an atomic
@cuda.jit
def reduce_sum_kernel(x, partial):
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    v = partial.dtype.type(0)
    if i < x.shape[0]:
        v = partial.dtype.type(x[i])
    offset = WARP // 2
    while offset > 0:
        cuda.shfl_down_sync(FULL_MASK, v, offset)
        offset //= 2
    cuda.atomic.add(partial, cuda.blockIdx.x, v)
