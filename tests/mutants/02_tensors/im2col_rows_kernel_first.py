# exercise: tensors_im2col
# why: rows ordered (i, j, c) instead of (c, i, j)
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        shape=(c, kh, kw, n, out_h, out_w),
        strides=(s_c, s_h, s_w, s_n, s_h * sh, s_w * sw),
=======
        shape=(kh, kw, c, n, out_h, out_w),
        strides=(s_h, s_w, s_c, s_n, s_h * sh, s_w * sw),
>>>>>>> replacement
