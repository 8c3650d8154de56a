# exercise: complexity_multiply_loop
# why: appends Python products to a list and converts at the end
def elementwise_multiply_loop(a, b):
    if np.ndim(a) != 1 or np.ndim(b) != 1 or len(a) != len(b):
        raise ValueError(f"expected two 1-D arrays of one length, got shapes {np.shape(a)} and {np.shape(b)}")
    products = []
    for i in range(len(a)):
        products.append(a[i] * b[i])
    return np.array(products, dtype=np.result_type(np.asarray(a), np.asarray(b)))
