# exercise: memory_estimate_activations
# why: assumes 4 bytes per element whatever the dtype
def estimate_activation_memory(batch_size: int, layer_sizes: Sequence[int], dtype: torch.dtype = torch.float32) -> int:
    """Bytes of activations a plain MLP saves for backward, from its shapes.

    The MLP is ``nn.Linear(layer_sizes[i], layer_sizes[i + 1])`` for each ``i``, with an
    ``nn.ReLU`` after every Linear but the last. The input does not require grad; parameters are
    not activations; a tensor saved by two layers counts once.

    Args:
        batch_size: rows in the input batch, a positive integer.
        layer_sizes: ``[input, hidden..., output]`` widths, at least two positive integers.
        dtype: a floating-point ``torch.dtype`` of the activations.

    Returns:
        The activation bytes, an ``int``.

    Raises:
        TypeError: ``batch_size`` or a layer size is not an integer, or ``dtype`` is not a
            floating-point ``torch.dtype``.
        ValueError: ``batch_size`` or a layer size is not positive, or fewer than two layer sizes.
    """
    # about 12 lines
    def _check_positive_int(value: Any, what: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{what} must be an integer, got {value!r}")
        if value <= 0:
            raise ValueError(f"{what} must be positive, got {value}")

    _check_positive_int(batch_size, "batch_size")
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs an input and an output size, got {sizes!r}")
    for size in sizes:
        _check_positive_int(size, "every layer size")
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"dtype must be a floating-point torch.dtype, got {dtype!r}")
    bytes_per_element = torch.empty((), dtype=dtype).element_size()
    return int(batch_size) * int(sum(sizes[:-1])) * 4
