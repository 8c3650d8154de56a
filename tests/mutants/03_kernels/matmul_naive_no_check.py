# exercise: kernels_matmul_naive
# why: no shape check: (3, 4) @ (5, 2) quietly uses the first 4 rows of B
def matmul_naive(A, B):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), dtype=np.result_type(A, B))
    for i in range(m):
        for j in range(n):
            for p in range(k):
                C[i, j] += A[i, p] * B[p, j]
    return C
