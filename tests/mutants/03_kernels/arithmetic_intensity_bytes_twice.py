# exercise: kernels_arithmetic_intensity
# why: counts the bytes per element twice (as if every byte were both read and written)
def arithmetic_intensity(flops, nbytes):
    if flops < 0 or nbytes <= 0:
        raise ValueError(f"bad counts {flops}, {nbytes}")
    return flops / (2 * nbytes)
