# exercise: kernels_matmul_numba
# why: i, p, j order written with row views and a kernel that allocates and returns C
@njit
def _matmul_rows_of_b(A, B):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), dtype=A.dtype)
    for i in range(m):
        c_row = C[i]
        for p in range(k):
            a = A[i, p]
            b_row = B[p]
            for j in range(n):
                c_row[j] += a * b_row[j]
    return C


@njit
def _matmul_ipj(A, B, C):
    C += _matmul_rows_of_b(A, B)


def matmul_numba(A, B):
    matmul_shapes(A, B)
    dtype = np.float32 if A.dtype == np.float32 and B.dtype == np.float32 else np.float64
    return _matmul_rows_of_b(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype))
