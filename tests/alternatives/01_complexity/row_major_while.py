# exercise: complexity_row_major
# why: while loops with explicit indices
@numba.njit
def row_major_sum(a):
    total = 0.0
    i = 0
    while i < a.shape[0]:
        j = 0
        while j < a.shape[1]:
            total += a[i, j]
            j += 1
        i += 1
    return total
