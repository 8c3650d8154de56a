# exercise: kernels_matmul_numba
# why: assigns C[i, j] = a * B[p, j] instead of adding, so only the last p survives
@njit
def _matmul_ipj(A, B, C):
    m, k = A.shape
    n = B.shape[1]
    for i in range(m):
        for p in range(k):
            a = A[i, p]
            for j in range(n):
                C[i, j] = a * B[p, j]


def matmul_numba(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    C = np.zeros((m, n), dtype=dtype)
    _matmul_ipj(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype), C)
    return C
