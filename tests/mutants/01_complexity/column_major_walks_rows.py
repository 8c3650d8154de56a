# exercise: complexity_column_major
# why: copied from row_major_sum: right total, but the walk goes along rows
@numba.njit
def column_major_sum(a):
    total = 0.0
    n_rows, n_cols = a.shape
    for i in range(n_rows):
        for j in range(n_cols):
            total += a[i, j]
    return total
