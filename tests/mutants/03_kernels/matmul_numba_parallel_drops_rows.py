# exercise: kernels_matmul_numba_parallel
# why: splits the rows into 4 equal chunks with m // 4 rows each and drops the remainder rows
@njit(parallel=True)
def _matmul_rows(A, B, C):
    m, k = A.shape
    n = B.shape[1]
    chunk = m // 4
    for t in prange(4):
        for i in range(t * chunk, (t + 1) * chunk):
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
