# exercise: complexity_column_major
# why: off by one, the inner loop starts at row 1
@numba.njit
def column_major_sum(a):
    total = 0.0
    n_rows, n_cols = a.shape
    for j in range(n_cols):
        for i in range(1, n_rows):
            total += a[i, j]
    return total
