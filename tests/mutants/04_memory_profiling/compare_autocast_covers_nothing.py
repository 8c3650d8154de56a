# exercise: memory_compare_strategies
# why: autocast entered and left before the forward runs, so nothing is in bfloat16
def compare_memory_strategies(model: nn.Module, input_tensor: torch.Tensor) -> dict[str, dict[str, float]]:
    """Peak memory and time of one step under five memory strategies.

    Args:
        model: a ``LargeNeuralNetwork``.
        input_tensor: one input batch.

    Returns:
        ``{name: {"peak_memory": MB, "time_ms": ms}}`` for ``baseline``, ``checkpointing``,
        ``bf16_autocast``, ``gradient_accumulation`` and ``inference``.
    """
    # about 35 lines
    device = input_tensor.device.type

    def baseline() -> None:
        model(input_tensor).sum().backward()

    def checkpointing() -> None:
        model.forward_with_checkpointing(input_tensor).sum().backward()

    def bf16_autocast() -> None:
        with torch.autocast(device_type=device, dtype=torch.bfloat16):
            pass
        output = model(input_tensor)
        output.float().sum().backward()

    def gradient_accumulation() -> None:
        for chunk in input_tensor.chunk(4):
            model(chunk).sum().backward()

    def inference() -> None:
        with torch.inference_mode():
            model(input_tensor)

    def timed(step: Callable[[], None]) -> None:
        model.zero_grad(set_to_none=True)
        step()
        if device == "cuda":
            torch.cuda.synchronize()

    steps = (baseline, checkpointing, bf16_autocast, gradient_accumulation, inference)
    peaks_mb = {}
    for step in steps:
        model.zero_grad(set_to_none=True)
        peaks_mb[step.__name__] = peak_bytes(step, device=device) / BYTES_PER_MB
    # Time the strategies in turn, round after round, so that a change in machine load hits all
    # of them alike; the first round is a warm-up.
    times_s = {step.__name__: [] for step in steps}
    for round_index in range(4):
        for step in steps:
            start = time.perf_counter()
            timed(step)
            if round_index > 0:
                times_s[step.__name__].append(time.perf_counter() - start)
    return {
        name: {"peak_memory": peaks_mb[name], "time_ms": statistics.median(times_s[name]) * 1e3}
        for name in peaks_mb
    }
