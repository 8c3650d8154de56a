# exercise: complexity_multiply_vectorized
# why: no length check, so NumPy broadcasts a length-1 array instead of raising
def elementwise_multiply_vectorized(a, b):
    return np.multiply(np.asarray(a), np.asarray(b))
