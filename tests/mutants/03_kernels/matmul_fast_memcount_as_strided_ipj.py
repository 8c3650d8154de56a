# exercise: kernels_matmul_fast
# why: the plain i, p, j loop, operands re-viewed with np.lib.stride_tricks.as_strided (Numba
# supports it). Counted as Python, `np` is the counting module but `np.lib` is handed back as the
# real module, and as_strided(subok=False) returns a plain ndarray: every access after it is
# invisible to the counter.
_K_SLICE = 1024


@njit(fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    view = np.lib.stride_tricks.as_strided
    a, b, c = view(A, A.shape, A.strides), view(B, B.shape, B.strides), view(C, C.shape, C.strides)
    for i in range(m):
        for p in range(k):
            x = a[i, p]
            for j in range(n):
                c[i, j] += x * b[p, j]
    return C


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    return _matmul_fast_kernel(A, B, _K_SLICE)
