# exercise: memory_profile_network
# why: measures the forward pass only; backward runs after the profiler stops
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
    output, events = memory_events(forward, input_tensor, device=input_tensor.device.type)
    output.sum().backward()
    timeline, held = [], 0
    for event in events:
        held += event.nbytes
        timeline.append((f"{event.scope or 'step'}/{event.op or 'free'}", held / BYTES_PER_MB))
    return {
        "peak_memory": max((mb for _, mb in timeline), default=0.0),
        "memory_timeline": timeline,
        "operations": [label for label, _ in timeline],
    }
