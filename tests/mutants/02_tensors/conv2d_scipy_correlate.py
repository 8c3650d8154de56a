# exercise: tensors_conv2d
# why: one scipy.signal.correlate call per (image, filter) pair, no im2col at all
def conv2d(x, weight, bias=None, stride=1, padding=0):
    from scipy import signal

    x, weight = np.asarray(x), np.asarray(weight)
    if x.ndim != 4 or weight.ndim != 4 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"x {x.shape} and weight {weight.shape} do not match")
    if bias is not None and np.shape(bias) != (weight.shape[0],):
        raise ValueError(f"bias must have shape ({weight.shape[0]},)")
    sh, sw = as_pair(stride, "stride", 1)
    ph, pw = as_pair(padding, "padding", 0)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.stack([np.stack([signal.correlate(image, w, mode="valid")[0] for w in weight]) for image in padded])
    out = out[:, :, ::sh, ::sw]
    return out if bias is None else out + np.asarray(bias).reshape(1, -1, 1, 1)
