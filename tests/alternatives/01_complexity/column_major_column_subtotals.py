# exercise: complexity_column_major
# why: one subtotal per column, added to the total after each column
@numba.njit
def column_major_sum(a):
    total = 0.0
    for j in range(a.shape[1]):
        column_total = 0.0
        for i in range(a.shape[0]):
            column_total += a[i, j]
        total += column_total
    return total
