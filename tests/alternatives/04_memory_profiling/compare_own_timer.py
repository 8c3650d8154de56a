# exercise: memory_compare_strategies
# why: no_grad instead of inference_mode, a mean loss scaled per micro-batch, its own perf_counter timing
def compare_memory_strategies(model, input_tensor):
    kind = input_tensor.device.type
    parts = input_tensor.chunk(4)

    def run(name):
        if name == "baseline":
            model(input_tensor).sum().backward()
        elif name == "checkpointing":
            model.forward_with_checkpointing(input_tensor).sum().backward()
        elif name == "bf16_autocast":
            with torch.autocast(kind, dtype=torch.bfloat16):
                loss = model(input_tensor).sum()
            loss.backward()
        elif name == "gradient_accumulation":
            for part in parts:
                (model(part).mean() * len(part)).backward()
        else:
            with torch.no_grad():
                model(input_tensor)

    table = {}
    for name in ["baseline", "checkpointing", "bf16_autocast", "gradient_accumulation", "inference"]:
        model.zero_grad(set_to_none=True)
        peak = peak_bytes(run, name, device=kind)
        times = []
        for _ in range(4):
            model.zero_grad(set_to_none=True)
            start = time.perf_counter()
            run(name)
            times.append(time.perf_counter() - start)
        table[name] = {"peak_memory": peak / 1e6, "time_ms": 1e3 * statistics.median(times[1:])}
    return table
