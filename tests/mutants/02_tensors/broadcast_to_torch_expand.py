# exercise: tensors_broadcast_to
# why: lets PyTorch stretch the array with Tensor.expand (a zero-stride view) and hands it back
def broadcast_to(a, shape):
    import torch

    a = np.asarray(a)
    shape = tuple(int(n) for n in shape)
    if len(shape) < a.ndim or broadcast_shapes(a.shape, shape) != shape:
        raise ValueError(f"cannot broadcast {a.shape} to {shape}")
    view = torch.from_numpy(np.ascontiguousarray(a)).expand(*shape).numpy()
    view.flags.writeable = False
    return view
