# exercise: kernels_arithmetic_intensity
# why: bytes per FLOP instead of FLOPs per byte
def arithmetic_intensity(flops, nbytes):
    if flops <= 0 or nbytes <= 0:
        raise ValueError(f"need positive counts, got {flops}, {nbytes}")
    return nbytes / flops
