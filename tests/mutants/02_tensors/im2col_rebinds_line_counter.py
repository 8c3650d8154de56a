# exercise: tensors_im2col
# why: hostile: a Python loop over every output pixel, and the answer cell rebinds the global
# count_python_lines to report no lines run; the grade cell binds its own counter from utils.testing
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    s_n, s_c, s_h, s_w = padded.strides
    windows = as_strided(
        padded,
        shape=(c, kh, kw, n, out_h, out_w),
        strides=(s_c, s_h, s_w, s_n, s_h * sh, s_w * sw),
        writeable=False,
    )
    return windows.reshape(c * kh * kw, n * out_h * out_w)
=======
    cols = np.empty((c * kh * kw, n * out_h * out_w), dtype=x.dtype)
    column = 0
    for b in range(n):
        for oh in range(out_h):
            for ow in range(out_w):
                patch = padded[b, :, oh * sh:oh * sh + kh, ow * sw:ow * sw + kw]
                cols[:, column] = patch.reshape(-1)
                column += 1
    return cols


def count_python_lines(func, *args, **kwargs):
    return func(*args, **kwargs), 0
>>>>>>> replacement
