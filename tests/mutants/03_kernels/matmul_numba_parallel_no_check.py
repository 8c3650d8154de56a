# exercise: kernels_matmul_numba_parallel
# why: no shape check in the wrapper: mismatched shapes give garbage or crash inside the kernel
@njit(parallel=True)
def _matmul_rows(A, B, C):
    m, k = A.shape
    n = B.shape[1]
    for i in prange(m):
        for p in range(min(k, B.shape[0])):
            a = A[i, p]
            for j in range(n):
                C[i, j] += a * B[p, j]


def matmul_numba_parallel(A, B):
    dtype = np.result_type(A, B, np.float32)
    C = np.zeros((A.shape[0], B.shape[1]), dtype=dtype)
    _matmul_rows(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype), C)
    return C
