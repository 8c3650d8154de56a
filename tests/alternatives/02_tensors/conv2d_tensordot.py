# exercise: tensors_conv2d
# why: contracts the unfolded columns with np.tensordot and reshapes in another order
def conv2d(x, weight, bias=None, stride=1, padding=0):
    x, weight = np.asarray(x), np.asarray(weight)
    if weight.ndim != 4 or x.ndim != 4 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"x {x.shape} and weight {weight.shape} do not match")
    f, c, kh, kw = weight.shape
    if bias is not None and np.shape(bias) != (f,):
        raise ValueError(f"bias shape {np.shape(bias)}, expected ({f},)")
    sh, sw = as_pair(stride, "stride", 1)
    ph, pw = as_pair(padding, "padding", 0)
    out_h = (x.shape[2] + 2 * ph - kh) // sh + 1
    out_w = (x.shape[3] + 2 * pw - kw) // sw + 1
    cols = im2col(x, (kh, kw), stride, padding).reshape(c * kh * kw, x.shape[0], out_h, out_w)
    out = np.tensordot(cols, weight.reshape(f, -1), axes=([0], [1]))  # (N, oh, ow, F)
    if bias is not None:
        out = out + bias
    return out.transpose(0, 3, 1, 2)
