# exercise: kernels_quantize_symmetric
# why: casts x / scale to int, which truncates toward zero: errors up to a whole scale
def quantize_symmetric(x, bits=8):
    if bits not in (8, 16):
        raise ValueError(f"bits must be 8 or 16, got {bits}")
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    qmax = 2 ** (bits - 1) - 1
    max_abs = float(np.max(np.abs(x)))
    scale = max_abs / qmax if max_abs > 0 else 1.0
    return (x / scale).astype(np.int8 if bits == 8 else np.int16), scale
