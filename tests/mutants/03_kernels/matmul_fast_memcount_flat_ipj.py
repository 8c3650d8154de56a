# exercise: kernels_matmul_fast
# why: the plain i, p, j loop of exercise 6 (no register blocking: C[i, j] loaded and stored for
# every multiply-add), but every element access goes through `.flat[...]`. Under the counter the
# kernel runs as Python on CountedArray, and `x.flat` is a numpy.flatiter that reads and writes the
# buffer without calling CountedArray.__getitem__/__setitem__: nothing is counted. Compiled, Numba's
# flat indexing of a C-contiguous array is a plain pointer offset, so speed is that of the i-p-j loop.
_K_SLICE = 1024


@njit(fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    a_flat, b_flat, c_flat = A.flat, B.flat, C.flat  # "one index per element: easier to vectorize"
    for i in range(m):
        for p in range(k):
            a = a_flat[i * k + p]
            for j in range(n):
                c_flat[i * n + j] += a * b_flat[p * n + j]
    return C


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    return _matmul_fast_kernel(A, B, _K_SLICE)
