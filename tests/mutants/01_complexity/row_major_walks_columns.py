# exercise: complexity_row_major
# why: the loops are nested the other way round, so the walk goes down columns
@numba.njit
def row_major_sum(a):
    total = 0.0
    n_rows, n_cols = a.shape
    for j in range(n_cols):
        for i in range(n_rows):
            total += a[i, j]
    return total
