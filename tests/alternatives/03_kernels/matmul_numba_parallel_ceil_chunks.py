# exercise: kernels_matmul_numba_parallel
# why: prange over chunks of rows with ceiling division, so the last chunk takes the remainder
@njit(parallel=True)
def _matmul_rows(A, B, C):
    m, k = A.shape
    n = B.shape[1]
    chunks = 8
    size = (m + chunks - 1) // chunks
    for c in prange(chunks):
        for i in range(c * size, min(m, (c + 1) * size)):
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
