# exercise: memory_optimize
# why: no search: always checkpoints and accumulates over micro-batches, with a mean loss scaled back
def optimize_memory_usage(model, input_tensor):
    baseline = profile_network_memory(model, input_tensor)["peak_memory"]
    chunks = input_tensor.chunk(4)

    def step():
        for chunk in chunks:
            out = model.forward_with_checkpointing(chunk)
            (out.mean() * out.numel()).backward()

    model.zero_grad(set_to_none=True)
    optimized = peak_bytes(step) / 1e6
    return {
        "baseline_memory": baseline,
        "optimized_memory": optimized,
        "improvement": (baseline - optimized) / baseline,
        "strategies": ["checkpointing", "gradient_accumulation"],
    }
