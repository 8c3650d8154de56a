# exercise: complexity_multiply_vectorized
# why: einsum with an explicit shape comparison
def elementwise_multiply_vectorized(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"shapes {a.shape} and {b.shape} differ")
    return np.einsum("i,i->i", a, b)
