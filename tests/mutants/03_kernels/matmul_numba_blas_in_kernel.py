# exercise: kernels_matmul_numba
# why: the compiled kernel hands the product to BLAS (Numba turns np.dot into a BLAS call)
@njit
def _matmul_ipj(A, B, C):
    C += np.dot(A, B)


def matmul_numba(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    C = np.zeros((m, n), dtype=dtype)
    _matmul_ipj(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype), C)
    return C
