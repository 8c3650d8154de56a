# exercise: kernels_matmul_fast
# why: a 4 x 4 register-blocked kernel without padding: the rows and columns past the last full block are never computed
_K_SLICE = 1024


@njit(parallel=True, fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    Bt = np.ascontiguousarray(B.T)
    C = np.zeros((m, n), A.dtype)
    for ib in prange(m // 4):
        i = ib * 4
        for j in range(0, n - n % 4, 4):
            for r in range(4):
                a = A[i + r]
                for c in range(4):
                    b = Bt[j + c]
                    total = A.dtype.type(0)
                    for p in range(k):
                        total += a[p] * b[p]
                    C[i + r, j + c] = total
    return C


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    return _matmul_fast_kernel(A, B, _K_SLICE)
