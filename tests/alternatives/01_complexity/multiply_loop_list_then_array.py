# exercise: complexity_multiply_loop
# why: appends Python products to a list and converts at the end
def elementwise_multiply_loop(a, b):
    if len(a) != len(b):
        raise ValueError(f"a has {len(a)} elements but b has {len(b)}")
    products = []
    for i in range(len(a)):
        products.append(a[i] * b[i])
    return np.array(products, dtype=np.result_type(np.asarray(a), np.asarray(b)))
