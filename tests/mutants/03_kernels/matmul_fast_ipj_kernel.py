# exercise: kernels_matmul_fast
# why: the plain i, p, j kernel of exercise 6 under a new name: compiled and cache-friendly, but no
# register blocking: it loads and stores C[i, j] for every multiply-add (3 memory operations each,
# by the count), so it loses the register-blocking cell and the speed point whatever the machine's load
_K_SLICE = 1024


@njit
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    for i in range(m):
        for p in range(k):
            a = A[i, p]
            for j in range(n):
                C[i, j] += a * B[p, j]
    return C


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    return _matmul_fast_kernel(A, B, _K_SLICE)
