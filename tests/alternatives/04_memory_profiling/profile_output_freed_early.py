# exercise: memory_profile_network
# why: lets the output die before backward, labels by operator only, resets gradients by hand
def profile_network_memory(model, input_tensor, use_checkpointing=False):
    run = model.forward_with_checkpointing if use_checkpointing else model.forward
    for p in model.parameters():
        p.grad = None

    def one_step():
        with record_function("forward"):
            loss = run(input_tensor).sum()
        with record_function("backward"):
            loss.backward()

    _, events = memory_events(one_step, device=str(input_tensor.device))
    held = np.cumsum([e.nbytes for e in events]) / 1e6
    timeline = [(e.op or "?", float(mb)) for e, mb in zip(events, held)]
    return {
        "peak_memory": float(held.max()) if len(held) else 0.0,
        "memory_timeline": timeline,
        "operations": [op for op, _ in timeline],
    }
