# exercise: complexity_multiply_vectorized
# why: returns nothing at once, so it is very fast; no speed point may be credited for it
def elementwise_multiply_vectorized(a, b):
    if len(a) != len(b) or np.ndim(a) != 1 or np.ndim(b) != 1:
        raise ValueError(f"lengths {len(a)} and {len(b)} differ")
    return None
