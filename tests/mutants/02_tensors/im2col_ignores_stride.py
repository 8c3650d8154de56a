# exercise: tensors_im2col
# why: steps the windows by one pixel whatever the stride
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        strides=(s_c, s_h, s_w, s_n, s_h * sh, s_w * sw),
=======
        strides=(s_c, s_h, s_w, s_n, s_h, s_w),
>>>>>>> replacement
