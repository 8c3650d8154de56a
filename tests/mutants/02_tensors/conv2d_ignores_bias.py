# exercise: tensors_conv2d
# why: forgets to add the bias
def conv2d(x: np.ndarray, weight: np.ndarray, bias=None, stride=1, padding=0) -> np.ndarray:
    """2-D convolution (cross-correlation, as in PyTorch) through im2col and one matrix product.

    Args:
        x: input of shape (N, C, H, W).
        weight: filters of shape (F, C, kh, kw).
        bias: None or shape (F,).
        stride, padding: ints or pairs, as for ``im2col``.

    Returns:
        Output of shape (N, F, out_h, out_w).

    Raises:
        ValueError: ``weight`` is not 4-D, its channel count differs from ``x``'s, or ``bias``
            does not have shape (F,).
    """
    # about 14 lines
    x, weight = np.asarray(x), np.asarray(weight)
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"expected x (N, C, H, W) and weight (F, C, kh, kw), got {x.shape} and {weight.shape}")
    f, c, kh, kw = weight.shape
    if x.shape[1] != c:
        raise ValueError(f"x has {x.shape[1]} channels but weight expects {c}")
    if bias is not None and np.shape(bias) != (f,):
        raise ValueError(f"bias must have shape ({f},), got {np.shape(bias)}")
    cols = im2col(x, (kh, kw), stride, padding)
    out = weight.reshape(f, c * kh * kw) @ cols
    if bias is not None:
        pass
    (sh, sw), (ph, pw) = as_pair(stride, "stride", 1), as_pair(padding, "padding", 0)
    out_h = (x.shape[2] + 2 * ph - kh) // sh + 1
    out_w = (x.shape[3] + 2 * pw - kw) // sw + 1
    return np.ascontiguousarray(out.reshape(f, x.shape[0], out_h, out_w).transpose(1, 0, 2, 3))
