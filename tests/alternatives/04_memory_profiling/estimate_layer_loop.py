# exercise: memory_estimate_activations
# why: walks the layers and counts what each one keeps, with dtype.itemsize and operator.index
import operator


def estimate_activation_memory(batch_size, layer_sizes, dtype=torch.float32):
    if isinstance(batch_size, bool) or isinstance(batch_size, float):
        raise TypeError(f"batch_size {batch_size!r} is not an integer")
    batch = operator.index(batch_size)
    if batch < 1:
        raise ValueError(f"batch_size {batch} < 1")
    if len(layer_sizes) < 2:
        raise ValueError(f"need at least two layer sizes, got {list(layer_sizes)}")
    widths = []
    for w in layer_sizes:
        if isinstance(w, (bool, float)):
            raise TypeError(f"layer size {w!r} is not an integer")
        w = operator.index(w)
        if w < 1:
            raise ValueError(f"layer size {w} < 1")
        widths.append(w)
    if not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
        raise TypeError(f"{dtype!r} is not a floating-point dtype")
    kept = batch * widths[0]  # the input, kept by the first Linear
    for width in widths[1:-1]:
        kept += batch * width  # each hidden ReLU output, kept once (the next Linear shares it)
    return kept * dtype.itemsize
