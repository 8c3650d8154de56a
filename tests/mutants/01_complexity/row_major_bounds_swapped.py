# exercise: complexity_row_major
# why: loop bounds swapped, right only for square arrays (reads outside the array otherwise)
@numba.njit
def row_major_sum(a):
    total = 0.0
    n_rows, n_cols = a.shape
    for i in range(n_cols):
        for j in range(n_rows):
            total += a[i, j]
    return total
