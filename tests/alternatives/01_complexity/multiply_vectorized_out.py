# exercise: complexity_multiply_vectorized
# why: np.multiply into a preallocated output
def elementwise_multiply_vectorized(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if len(a) != len(b):
        raise ValueError(f"cannot multiply {len(a)} elements by {len(b)}")
    out = np.empty(len(a), dtype=np.result_type(a, b))
    np.multiply(a, b, out=out)
    return out
