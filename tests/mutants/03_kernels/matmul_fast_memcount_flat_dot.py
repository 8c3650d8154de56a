# exercise: kernels_matmul_fast
# why: the repository's own "packed dot" mutant (B packed transposed, one vectorized dot product
# per element of C: 2 loads per multiply-add, no register blocking), with its element reads done
# through `.flat[...]`, which the counter does not see (numpy.flatiter bypasses CountedArray).
_K_SLICE = 1024


@njit(fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    Bt = np.ascontiguousarray(B.T)
    C = np.zeros((m, n), A.dtype)
    a_flat, b_flat, c_flat = A.flat, Bt.flat, C.flat
    for i in range(m):
        for j in range(n):
            total = A.dtype.type(0)
            for p in range(k):
                total += a_flat[i * k + p] * b_flat[j * k + p]
            c_flat[i * n + j] = total
    return C


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    return _matmul_fast_kernel(A, B, _K_SLICE)
