# exercise: kernels_reduce_sum_kernel
# why: a mask of 16 lanes while all 32 lanes shuffle: the upper half calls without its own bit
<<<<<<< reference
    offset = WARP // 2
    while offset > 0:
        v += cuda.shfl_down_sync(FULL_MASK, v, offset)
        offset //= 2
    if lane == 0:
        warp_sums[warp] = v
=======
    offset = WARP // 2
    while offset > 0:
        v += cuda.shfl_down_sync(0xFFFF, v, offset)
        offset //= 2
    if lane == 0:
        warp_sums[warp] = v
>>>>>>> replacement
