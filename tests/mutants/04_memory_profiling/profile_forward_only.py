# exercise: memory_profile_network
# why: measures the forward pass only; backward runs after the profiler stops
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    _, events = memory_events(step, device=input_tensor.device.type)
=======
    output, events = memory_events(forward, input_tensor, device=input_tensor.device.type)
    output.sum().backward()
>>>>>>> replacement
