# exercise: kernels_gpu_matmul
# why: the grid is rounded down, so the rows and columns past the last whole tile stay zero
def gpu_matmul(A, B, kernel="shared"):
    if kernel not in ("shared", "naive"):
        raise ValueError(f"kernel={kernel!r}: expected 'shared' or 'naive'")
    A, B = np.asarray(A), np.asarray(B)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"shapes {A.shape} and {B.shape}: expected (m, k) and (k, n) matrices")
    dtype = np.float32 if np.result_type(A, B) == np.float32 else np.float64
    (m, k), n = A.shape, B.shape[1]
    C = np.zeros((m, n), dtype=dtype)
    grid = (max(n // TILE, 1), max(m // TILE, 1))
    launch = matmul_kernel_shared if kernel == "shared" else matmul_kernel_naive
    launch[grid, (TILE, TILE)](A.astype(dtype), B.astype(dtype), C)
    return C
