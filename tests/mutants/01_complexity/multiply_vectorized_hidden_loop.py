# exercise: complexity_multiply_vectorized
# why: correct values, but a comprehension is still one interpreter round trip per element
def elementwise_multiply_vectorized(a, b):
    if len(a) != len(b):
        raise ValueError(f"lengths differ: {len(a)} and {len(b)}")
    return np.array([x * y for x, y in zip(a, b)], dtype=np.result_type(a, b))
