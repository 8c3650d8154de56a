# exercise: kernels_quantize_symmetric
# why: np.round and a dtype table; the scale is computed from the float32 maximum
def quantize_symmetric(x, bits=8):
    dtypes = {8: np.int8, 16: np.int16}
    if bits not in dtypes:
        raise ValueError(f"unsupported bit width {bits}; use 8 or 16")
    x = np.asarray(x)
    if not np.isfinite(x).all():
        raise ValueError("cannot quantize NaN or infinity")
    qmax = np.iinfo(dtypes[bits]).max
    peak = float(np.abs(x).max(initial=0.0))
    scale = peak / qmax if peak != 0 else 1.0
    q = np.round(x.astype(np.float64) / scale)
    return np.clip(q, -qmax, qmax).astype(dtypes[bits]), scale
