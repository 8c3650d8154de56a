# exercise: kernels_transpose_tiled
# why: a 32 x 32 tile without padding: reading a column of it hits one bank 32 times
<<<<<<< reference
    tile = cuda.shared.array((TRANSPOSE_TILE, PADDED_TILE), dtype=a.dtype)
=======
    tile = cuda.shared.array((TRANSPOSE_TILE, TRANSPOSE_TILE), dtype=a.dtype)
>>>>>>> replacement
