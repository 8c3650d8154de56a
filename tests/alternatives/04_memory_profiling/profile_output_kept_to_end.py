# exercise: memory_profile_network
# why: the step returns its output, so the output stays alive until profiling ends and the timeline ends at gradients + output
def profile_network_memory(model, input_tensor, use_checkpointing=False):
    forward = model.forward_with_checkpointing if use_checkpointing else model
    model.zero_grad(set_to_none=True)

    def step():
        with record_function("forward"):
            output = forward(input_tensor)
        with record_function("backward"):
            output.sum().backward()
        return output

    output, events = memory_events(step, device=input_tensor.device.type)
    del output
    timeline, held = [], 0
    for event in events:
        held += event.nbytes
        timeline.append((f"{event.scope}/{event.op}", held / BYTES_PER_MB))
    peak = max(mb for _, mb in timeline)
    return {"peak_memory": peak, "memory_timeline": timeline, "operations": [label for label, _ in timeline]}
