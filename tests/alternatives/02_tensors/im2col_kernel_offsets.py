# exercise: tensors_im2col
# why: one strided slice per kernel offset (a loop over kh*kw, not over pixels)
def im2col(x, kernel_size, stride=1, padding=0):
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"expected (N, C, H, W), got {x.shape}")
    kh, kw = as_pair(kernel_size, "kernel_size", 1)
    sh, sw = as_pair(stride, "stride", 1)
    ph, pw = as_pair(padding, "padding", 0)
    n, c, h, w = x.shape
    out_h, out_w = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    if out_h < 1 or out_w < 1:
        raise ValueError("kernel larger than the padded input")
    padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=x.dtype)
    padded[:, :, ph:ph + h, pw:pw + w] = x
    cols = np.empty((c, kh, kw, n, out_h, out_w), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            patch = padded[:, :, i:i + sh * out_h:sh, j:j + sw * out_w:sw]
            cols[:, i, j] = patch.transpose(1, 0, 2, 3)
    return cols.reshape(c * kh * kw, n * out_h * out_w)
