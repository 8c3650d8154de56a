# exercise: kernels_matmul_fast
# why: packed (B transposed so both operands are contiguous rows) but not register-blocked: one
# vectorized dot product per element of C loads two values for every multiply-add
_K_SLICE = 1024


@njit(parallel=True, fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    Bt = np.ascontiguousarray(B.T)
    C = np.zeros((m, n), A.dtype)
    for i in prange(m):
        a = A[i]
        for j in range(n):
            b = Bt[j]
            total = A.dtype.type(0)
            for p in range(k):
                total += a[p] * b[p]
            C[i, j] = total
    return C


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    return _matmul_fast_kernel(A, B, _K_SLICE)
