# exercise: tensors_broadcast_to
# why: adds the leading axes with None indexing first, then zeroes strides and locks the result
def broadcast_to(a, shape):
    a = np.asarray(a)
    shape = tuple(shape)
    lead = len(shape) - a.ndim
    if lead < 0 or any(n != m and n != 1 for n, m in zip(a.shape, shape[lead:])):
        raise ValueError(f"{a.shape} does not broadcast to {shape}")
    expanded = a[(None,) * lead] if lead else a
    strides = [0 if n == 1 and m != 1 else s for n, m, s in zip(expanded.shape, shape, expanded.strides)]
    view = np.lib.stride_tricks.as_strided(expanded, shape, strides)
    view.flags.writeable = False
    return view
