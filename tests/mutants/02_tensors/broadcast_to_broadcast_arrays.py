# exercise: tensors_broadcast_to
# why: lets NumPy do the stretching with np.broadcast_arrays and only makes the result read-only
def broadcast_to(a, shape):
    a = np.asarray(a)
    shape = tuple(int(n) for n in shape)
    if len(shape) < a.ndim or broadcast_shapes(a.shape, shape) != shape:
        raise ValueError(f"cannot broadcast {a.shape} to {shape}")
    view = np.broadcast_arrays(a, np.empty(shape, dtype=np.bool_))[0]
    view.flags.writeable = False
    return view
