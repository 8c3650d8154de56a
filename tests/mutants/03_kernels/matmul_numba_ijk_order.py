# exercise: kernels_matmul_numba
# why: correct, but keeps the i, j, p order: the inner loop strides down columns of B
@njit
def _matmul_ipj(A, B, C):
    m, k = A.shape
    n = B.shape[1]
    for i in range(m):
        for j in range(n):
            total = 0.0
            for p in range(k):
                total += A[i, p] * B[p, j]
            C[i, j] = total


def matmul_numba(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    C = np.zeros((m, n), dtype=dtype)
    _matmul_ipj(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype), C)
    return C
