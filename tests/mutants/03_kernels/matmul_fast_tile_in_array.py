# exercise: kernels_matmul_fast
# why: blocks of 4 x 4, but the partial sums live in a small array instead of local variables:
# every multiply-add loads and stores an array element (memory in Numba, not registers)
_K_SLICE = 1024


@njit(fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    acc = np.zeros((4, 4), A.dtype)
    for i0 in range(0, m, 4):
        for j0 in range(0, n, 4):
            acc[:] = 0
            for p in range(k):
                for i in range(i0, min(i0 + 4, m)):
                    a = A[i, p]
                    for j in range(j0, min(j0 + 4, n)):
                        acc[i - i0, j - j0] += a * B[p, j]
            for i in range(i0, min(i0 + 4, m)):
                for j in range(j0, min(j0 + 4, n)):
                    C[i, j] = acc[i - i0, j - j0]
    return C


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    return _matmul_fast_kernel(A, B, _K_SLICE)
