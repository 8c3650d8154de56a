# exercise: complexity_multiply_loop
# why: a while loop over float64 output, with strict zip doing the length check
def elementwise_multiply_loop(a, b):
    try:
        pairs = list(zip(a, b, strict=True))
    except ValueError as err:
        raise ValueError(f"length mismatch: {err}") from None
    out = np.zeros(len(pairs), dtype=np.float64)
    i = 0
    while i < len(pairs):
        out[i] = pairs[i][0] * pairs[i][1]
        i += 1
    return out
