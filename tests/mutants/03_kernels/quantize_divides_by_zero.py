# exercise: kernels_quantize_symmetric
# why: no guard for all-zero input: 0 / 0 gives NaN (and a warning)
def quantize_symmetric(x, bits=8):
    if bits not in (8, 16):
        raise ValueError(f"bits must be 8 or 16, got {bits}")
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    qmax = 2 ** (bits - 1) - 1
    scale = float(np.max(np.abs(x))) / qmax
    q = np.clip(np.rint(x / scale), -qmax, qmax)
    return q.astype(np.int8 if bits == 8 else np.int16), scale
