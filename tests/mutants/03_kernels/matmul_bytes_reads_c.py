# exercise: kernels_matmul_bytes
# why: counts C as read and written, though the minimum only writes it
def matmul_bytes(m, k, n, itemsize):
    if min(m, k, n) < 0 or itemsize <= 0:
        raise ValueError(f"bad dimensions or itemsize: {m}, {k}, {n}, {itemsize}")
    return (m * k + k * n + 2 * m * n) * itemsize
