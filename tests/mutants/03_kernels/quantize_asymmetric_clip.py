# exercise: kernels_quantize_symmetric
# why: scale from 2**(bits-1) and clipping to [-128, 127]: the largest positive value is clipped, -128 appears
def quantize_symmetric(x, bits=8):
    if bits not in (8, 16):
        raise ValueError(f"bits must be 8 or 16, got {bits}")
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    levels = 2 ** (bits - 1)
    max_abs = float(np.max(np.abs(x)))
    scale = max_abs / levels if max_abs > 0 else 1.0
    q = np.clip(np.rint(x / scale), -levels, levels - 1)
    return q.astype(np.int8 if bits == 8 else np.int16), scale
