# exercise: complexity_row_major
# why: iterates over rows, keeps one subtotal per row, adds it to the total
@numba.njit
def row_major_sum(a):
    total = 0.0
    for row in a:
        row_total = 0.0
        for value in row:
            row_total += value
        total += row_total
    return total
