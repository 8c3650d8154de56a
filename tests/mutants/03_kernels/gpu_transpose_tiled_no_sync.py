# exercise: kernels_transpose_tiled
# why: no barrier between filling the tile and reading it, so a thread reads slots not yet written
<<<<<<< reference
    cuda.syncthreads()
=======
>>>>>>> replacement
