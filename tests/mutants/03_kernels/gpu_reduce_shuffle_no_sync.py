# exercise: kernels_reduce_sum_kernel
# why: no barrier between writing the warp sums and reading them, so warp 0 adds slots not yet written
<<<<<<< reference
    cuda.syncthreads()
=======
>>>>>>> replacement
