# exercise: complexity_column_major
# why: walks the rows of the transposed view a.T, which are the columns of a (no copy)
@numba.njit
def column_major_sum(a):
    t = a.T
    total = 0.0
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            total += t[i, j]
    return total
