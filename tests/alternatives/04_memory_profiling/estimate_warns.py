# exercise: memory_estimate_activations
# why: correct, but its own code emits a UserWarning on every call: a warning is not a failure,
#   so the grade cells that see it (on stdout, via the set-up cell) still give full marks
import warnings


def estimate_activation_memory(batch_size, layer_sizes, dtype=torch.float32):
    warnings.warn("estimate_activation_memory: this estimate ignores the loss's own saved tensors", UserWarning)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int):
        raise TypeError(f"batch_size must be an integer, got {batch_size!r}")
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"need at least two layer sizes, got {sizes}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError(f"layer size {size!r} is not an integer")
        if size <= 0:
            raise ValueError(f"layer size {size} is not positive")
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"{dtype!r} is not a floating-point torch.dtype")
    return batch_size * sum(sizes[:-1]) * dtype.itemsize
