# exercise: kernels_gpu_matmul
# why: never checks the inner dimensions, so mismatched operands give garbage instead of an error
def gpu_matmul(A, B, kernel="shared"):
    A, B = np.asarray(A), np.asarray(B)
    dtype = np.float32 if np.result_type(A, B) == np.float32 else np.float64
    (m, k), n = A.shape, B.shape[1]
    C = np.zeros((m, n), dtype=dtype)
    grid = (math.ceil(n / TILE), math.ceil(m / TILE))
    launch = matmul_kernel_naive if kernel == "naive" else matmul_kernel_shared
    launch[grid, (TILE, TILE)](A.astype(dtype), B.astype(dtype), C)
    return C
