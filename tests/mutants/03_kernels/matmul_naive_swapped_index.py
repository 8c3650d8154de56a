# exercise: kernels_matmul_naive
# why: indexes B as B[j, p] (a row of B instead of a column): wrong, or out of range, unless B is square
def matmul_naive(A, B):
    m, k, n = matmul_shapes(A, B)
    C = np.zeros((m, n), dtype=np.result_type(A, B))
    for i in range(m):
        for j in range(n):
            total = 0.0
            for p in range(k):
                total += A[i, p] * B[j, p]
            C[i, j] = total
    return C
