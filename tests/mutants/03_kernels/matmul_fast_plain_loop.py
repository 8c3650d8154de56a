# exercise: kernels_matmul_fast
# why: correct but not fast: the textbook i, j, p loop, compiled and nothing more
_K_SLICE = 1024


@njit
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    for i in range(m):
        for j in range(n):
            total = 0.0
            for p in range(k):
                total += A[i, p] * B[p, j]
            C[i, j] = total
    return C


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    return _matmul_fast_kernel(A, B, _K_SLICE)
