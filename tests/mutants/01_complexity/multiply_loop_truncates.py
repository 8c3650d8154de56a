# exercise: complexity_multiply_loop
# why: output allocated with a's dtype, so an int array times floats is truncated to ints
def elementwise_multiply_loop(a, b):
    if len(a) != len(b):
        raise ValueError(f"lengths differ: {len(a)} and {len(b)}")
    out = np.zeros_like(a)
    for i in range(len(a)):
        out[i] = a[i] * b[i]
    return out
