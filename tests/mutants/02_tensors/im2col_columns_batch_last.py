# exercise: tensors_im2col
# why: columns ordered (oh, ow, n) instead of (n, oh, ow)
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        shape=(c, kh, kw, n, out_h, out_w),
        strides=(s_c, s_h, s_w, s_n, s_h * sh, s_w * sw),
=======
        shape=(c, kh, kw, out_h, out_w, n),
        strides=(s_c, s_h, s_w, s_h * sh, s_w * sw, s_n),
>>>>>>> replacement
