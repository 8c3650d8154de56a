# exercise: complexity_multiply_loop
# why: hostile: no loop (one NumPy call), and the answer cell rebinds the notebook's global
# count_python_lines to report a billion lines run; the grade cell binds its own counter from
# utils.testing, so the rebinding changes nothing
def elementwise_multiply_loop(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
        raise ValueError(f"expected two 1-D arrays of one length, got shapes {a.shape} and {b.shape}")
    return a * b


def count_python_lines(func, *args, **kwargs):
    return func(*args, **kwargs), 10**9
