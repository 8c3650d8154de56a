# exercise: complexity_row_major
# why: hostile: a.sum() inside njit instead of the loops, and the answer cell rebinds the global
# count_python_lines to report a billion lines run; the set-up check imports its own counter
@numba.njit
def row_major_sum(a):
    return a.sum()


def count_python_lines(func, *args, **kwargs):
    return func(*args, **kwargs), 10**9
