# exercise: memory_compare_strategies
# why: measures each strategy's peak while the previous strategy's gradients still exist
<<<<<<< reference
    for step in steps:
        model.zero_grad(set_to_none=True)
        peaks_mb[step.__name__] = peak_bytes(step, device=device) / BYTES_PER_MB
=======
    for step in steps:
        peaks_mb[step.__name__] = peak_bytes(step, device=device) / BYTES_PER_MB
>>>>>>> replacement
