# exercise: complexity_row_major
# why: hostile: a.sum() inside njit, and the answer cell rebinds a helper the checks used to call by
# global name (_python_sum, once defined in a set-up cell); the grade cells now import theirs
@numba.njit
def row_major_sum(a):
    return a.sum()


def _python_sum(func, name, a):
    return a.sum()


def _check_loop_kernel(*args, **kwargs):
    return None


_python_loop_result = _python_sum
