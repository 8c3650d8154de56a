# exercise: kernels_matmul_bytes
# why: counts the bytes of every element twice (read and write for inputs too), halving the intensity
def matmul_bytes(m, k, n, itemsize):
    if min(m, k, n) < 0 or itemsize <= 0:
        raise ValueError(f"bad dimensions or itemsize: {m}, {k}, {n}, {itemsize}")
    return 2 * (m * k + k * n + m * n) * itemsize
