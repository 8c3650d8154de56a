# exercise: complexity_multiply_loop
# why: zip stops at the shorter input, so different lengths pass silently
def elementwise_multiply_loop(a, b):
    products = []
    for x, y in zip(a, b):
        products.append(x * y)
    return np.array(products, dtype=float)
