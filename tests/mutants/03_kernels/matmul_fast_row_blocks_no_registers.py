# exercise: kernels_matmul_fast
# why: k-blocked i, p, j on row slices, on threads: correct, but neither register blocks nor packing,
# so on one thread it is no faster than matmul_numba (it was an alternative before speed was
# measured against matmul_numba)
_K_SLICE = 128


@njit(parallel=True, fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    for ib in prange((m + 7) // 8):
        for p0 in range(0, k, k_slice):
            for i in range(ib * 8, min(ib * 8 + 8, m)):
                c_row = C[i]
                a_row = A[i]
                for p in range(p0, min(p0 + k_slice, k)):
                    a = a_row[p]
                    b_row = B[p]
                    for j in range(n):
                        c_row[j] += a * b_row[j]
    return C


def matmul_fast(A, B):
    matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    return _matmul_fast_kernel(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype), _K_SLICE)
