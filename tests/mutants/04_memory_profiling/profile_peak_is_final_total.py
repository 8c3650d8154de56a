# exercise: memory_profile_network
# why: reports the memory held at the end of the step as the peak
def profile_network_memory(model: nn.Module, input_tensor: torch.Tensor, use_checkpointing: bool = False) -> dict[str, Any]:
    """Tensor memory of one training step (forward, ``sum()`` loss, backward), event by event.

    Args:
        model: a ``LargeNeuralNetwork`` (or any module with ``forward_with_checkpointing``).
        input_tensor: one input batch, on the device to measure.
        use_checkpointing: run ``model.forward_with_checkpointing`` instead of ``model``.

    Returns:
        ``{"peak_memory": MB, "memory_timeline": [(label, MB), ...], "operations": [label, ...]}``,
        counted from zero at the start of the step, gradients included.
    """
    # about 15 lines
    forward = model.forward_with_checkpointing if use_checkpointing else model

    def step() -> None:
        with record_function("forward"):
            output = forward(input_tensor)
        with record_function("backward"):
            output.sum().backward()

    model.zero_grad(set_to_none=True)
    _, events = memory_events(step, device=input_tensor.device.type)
    timeline, held = [], 0
    for event in events:
        held += event.nbytes
        timeline.append((f"{event.scope or 'step'}/{event.op or 'free'}", held / BYTES_PER_MB))
    return {
        "peak_memory": timeline[-1][1] if timeline else 0.0,
        "memory_timeline": timeline,
        "operations": [label for label, _ in timeline],
    }
