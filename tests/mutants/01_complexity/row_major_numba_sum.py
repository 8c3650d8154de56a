# exercise: complexity_row_major
# why: no loops at all: a.sum() inside njit visits the elements in row order for it
@numba.njit
def row_major_sum(a):
    return a.sum()
