# exercise: kernels_matmul_fast
# why: the 4 x 2 register block the text suggests for AVX2 (8 accumulators), packed operands padded
# with slice assignments, k-slices of 512
_K_SLICE = 512


@njit(parallel=True, fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    m4 = (m + 3) // 4 * 4
    n2 = (n + 1) // 2 * 2
    Ap = np.zeros((m4, k), A.dtype)  # rows of A, padded to a multiple of 4 rows
    Bt = np.zeros((n2, k), A.dtype)  # columns of B as rows, padded to a multiple of 2
    Ap[:m] = A
    Bt[:n] = B.T
    C = np.zeros((m4, n2), A.dtype)
    for ib in prange(m4 // 4):
        i = ib * 4
        for p0 in range(0, k, k_slice):
            p1 = min(p0 + k_slice, k)
            a0, a1, a2, a3 = Ap[i, p0:p1], Ap[i + 1, p0:p1], Ap[i + 2, p0:p1], Ap[i + 3, p0:p1]
            for j in range(0, n2, 2):
                b0, b1 = Bt[j, p0:p1], Bt[j + 1, p0:p1]
                s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = A.dtype.type(0)
                for p in range(p1 - p0):
                    y0, y1 = b0[p], b1[p]
                    x = a0[p]
                    s00 += x * y0
                    s01 += x * y1
                    x = a1[p]
                    s10 += x * y0
                    s11 += x * y1
                    x = a2[p]
                    s20 += x * y0
                    s21 += x * y1
                    x = a3[p]
                    s30 += x * y0
                    s31 += x * y1
                C[i, j] += s00
                C[i, j + 1] += s01
                C[i + 1, j] += s10
                C[i + 1, j + 1] += s11
                C[i + 2, j] += s20
                C[i + 2, j + 1] += s21
                C[i + 3, j] += s30
                C[i + 3, j + 1] += s31
    return C[:m, :n].copy()


def matmul_fast(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    if m * k * n == 0:
        return np.zeros((m, n), dtype)
    return _matmul_fast_kernel(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype), _K_SLICE)
