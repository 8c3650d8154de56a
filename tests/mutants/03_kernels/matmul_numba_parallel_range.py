# exercise: kernels_matmul_numba_parallel
# why: parallel=True but a plain range for the rows, so Numba runs the loop on one thread
@njit(parallel=True)
def _matmul_rows(A, B, C):
    m, k = A.shape
    n = B.shape[1]
    for i in range(m):
        for p in range(k):
            a = A[i, p]
            for j in range(n):
                C[i, j] += a * B[p, j]


def matmul_numba_parallel(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    C = np.zeros((m, n), dtype=dtype)
    _matmul_rows(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype), C)
    return C
