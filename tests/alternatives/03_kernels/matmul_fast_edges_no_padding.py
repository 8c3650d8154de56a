# exercise: kernels_matmul_fast
# why: no padding: 4 x 4 register blocks straight on A's rows and a transposed copy of B, the
# last rows and columns that do not fill a block done as dot products by a helper kernel
_K_SLICE = 384


@njit(fastmath=True)
def _dot(a, b):
    total = a.dtype.type(0)
    for p in range(a.shape[0]):
        total += a[p] * b[p]
    return total


@njit(parallel=True, fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    Bt = np.empty((n, k), A.dtype)  # columns of B as contiguous rows; A's rows already are
    for j in prange(n):
        for p in range(k):
            Bt[j, p] = B[p, j]
    C = np.zeros((m, n), A.dtype)
    m4, n4 = m - m % 4, n - n % 4
    for ib in prange(m4 // 4):
        i = ib * 4
        for p0 in range(0, k, k_slice):
            p1 = min(p0 + k_slice, k)
            a0, a1, a2, a3 = A[i, p0:p1], A[i + 1, p0:p1], A[i + 2, p0:p1], A[i + 3, p0:p1]
            for j in range(0, n4, 4):
                b0, b1, b2, b3 = Bt[j, p0:p1], Bt[j + 1, p0:p1], Bt[j + 2, p0:p1], Bt[j + 3, p0:p1]
                c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = A.dtype.type(0)
                c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = A.dtype.type(0)
                for p in range(p1 - p0):
                    x0, x1, x2, x3 = a0[p], a1[p], a2[p], a3[p]
                    y0, y1, y2, y3 = b0[p], b1[p], b2[p], b3[p]
                    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3  # noqa: E702
                    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3  # noqa: E702
                    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3  # noqa: E702
                    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3  # noqa: E702
                C[i, j] += c00; C[i, j + 1] += c01; C[i, j + 2] += c02; C[i, j + 3] += c03  # noqa: E702
                C[i + 1, j] += c10; C[i + 1, j + 1] += c11; C[i + 1, j + 2] += c12; C[i + 1, j + 3] += c13  # noqa: E702
                C[i + 2, j] += c20; C[i + 2, j + 1] += c21; C[i + 2, j + 2] += c22; C[i + 2, j + 3] += c23  # noqa: E702
                C[i + 3, j] += c30; C[i + 3, j + 1] += c31; C[i + 3, j + 2] += c32; C[i + 3, j + 3] += c33  # noqa: E702
    # edges, with no padding: the last columns of the full rows, then the last rows
    for i in prange(m):
        for j in range(n4 if i < m4 else 0, n):
            C[i, j] = _dot(A[i], Bt[j])
    return C


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    if m * k * n >= 128**3:
        return _matmul_fast_kernel(A, B, _K_SLICE)
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        return _matmul_fast_kernel(A, B, _K_SLICE)
    finally:
        numba.set_num_threads(threads)
