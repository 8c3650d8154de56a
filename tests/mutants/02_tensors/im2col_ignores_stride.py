# exercise: tensors_im2col
# why: steps the windows by one pixel whatever the stride
def im2col(x: np.ndarray, kernel_size, stride=1, padding=0) -> np.ndarray:
    """Unfold every convolution window of ``x`` into one column.

    Args:
        x: input of shape (N, C, H, W).
        kernel_size: kh, or a pair (kh, kw).
        stride: step between windows, an int or a pair (at least 1).
        padding: zeros added on each side of H and W, an int or a pair (at least 0).

    Returns:
        A new array of shape (C*kh*kw, N*out_h*out_w): rows ordered by (c, i, j) with the kernel
        offset (i, j) fastest, columns ordered by (n, oh, ow) with ow fastest.

    Raises:
        ValueError: ``x`` is not 4-D, or the kernel does not fit in the padded input.
    """
    # about 14 lines
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"im2col expects x of shape (N, C, H, W), got shape {x.shape}")
    kh, kw = as_pair(kernel_size, "kernel_size", 1)
    sh, sw = as_pair(stride, "stride", 1)
    ph, pw = as_pair(padding, "padding", 0)
    n, c, h, w = x.shape
    out_h = (h + 2 * ph - kh) // sh + 1
    out_w = (w + 2 * pw - kw) // sw + 1
    if h + 2 * ph < kh or w + 2 * pw < kw:
        raise ValueError(f"kernel {(kh, kw)} does not fit in input {(h, w)} with padding {(ph, pw)}")
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    s_n, s_c, s_h, s_w = padded.strides
    windows = as_strided(
        padded,
        shape=(c, kh, kw, n, out_h, out_w),
        strides=(s_c, s_h, s_w, s_n, s_h, s_w),
        writeable=False,
    )
    return windows.reshape(c * kh * kw, n * out_h * out_w)
