# exercise: memory_optimize
# why: accumulates the mean loss of each micro-batch without scaling: gradients come out a quarter of the full-batch ones
def optimize_memory_usage(model: nn.Module, input_tensor: torch.Tensor) -> dict[str, Any]:
    """Find the lowest-memory way to run one training step with unchanged gradients.

    Args:
        model: a ``LargeNeuralNetwork``.
        input_tensor: one input batch.

    Returns:
        ``{"baseline_memory": MB, "optimized_memory": MB, "improvement": fraction saved,
        "strategies": [names]}``.
    """
    # about 18 lines
    device = input_tensor.device.type
    micro_batches = input_tensor.chunk(4)

    def measure(use_checkpointing: bool, accumulate: bool) -> float:
        forward = model.forward_with_checkpointing if use_checkpointing else model

        def step() -> None:
            for chunk in micro_batches if accumulate else (input_tensor,):
                (forward(chunk).sum() / len(micro_batches) if accumulate else forward(chunk).sum()).backward()

        model.zero_grad(set_to_none=True)
        return peak_bytes(step, device=device) / BYTES_PER_MB

    baseline = profile_network_memory(model, input_tensor)["peak_memory"]
    best, strategies = baseline, []
    for use_checkpointing, accumulate in [(True, False), (False, True), (True, True)]:
        peak = measure(use_checkpointing, accumulate)
        if peak < best:
            best = peak
            strategies = ["checkpointing"] * use_checkpointing + ["gradient_accumulation"] * accumulate
    return {
        "baseline_memory": baseline,
        "optimized_memory": best,
        "improvement": 1.0 - best / baseline,
        "strategies": strategies,
    }
