# exercise: tensors_im2col
# why: calls torch.nn.functional.unfold and moves the batch into the columns
def im2col(x, kernel_size, stride=1, padding=0):
    import torch
    import torch.nn.functional as F

    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"expected (N, C, H, W), got {x.shape}")
    kh, kw = as_pair(kernel_size, "kernel_size", 1)
    ph, pw = as_pair(padding, "padding", 0)
    if x.shape[2] + 2 * ph < kh or x.shape[3] + 2 * pw < kw:
        raise ValueError("the kernel does not fit")
    cols = F.unfold(torch.from_numpy(np.ascontiguousarray(x)), (kh, kw), padding=padding, stride=stride).numpy()
    n, rows, pixels = cols.shape
    return np.ascontiguousarray(cols.transpose(1, 0, 2).reshape(rows, n * pixels))
