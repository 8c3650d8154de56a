# exercise: kernels_gpu_matmul
# why: passes NumPy arrays straight to the kernel (Numba copies them) and checks shapes in another order
def gpu_matmul(A, B, kernel="shared"):
    A, B = np.asarray(A), np.asarray(B)
    if A.ndim != 2 or B.ndim != 2:
        raise ValueError(f"shapes {A.shape} and {B.shape}: both operands must be 2-D")
    if A.shape[1] != B.shape[0]:
        raise ValueError(f"shapes {A.shape} and {B.shape}: inner dimensions {A.shape[1]} and {B.shape[0]} differ")
    kernels = {"shared": matmul_kernel_shared, "naive": matmul_kernel_naive}
    if kernel not in kernels:
        raise ValueError(f"unknown kernel {kernel!r}")
    dtype = np.float32 if A.dtype == np.float32 and B.dtype == np.float32 else np.float64
    C = np.zeros((A.shape[0], B.shape[1]), dtype=dtype)
    if C.size and A.shape[1]:
        blocks = (-(-C.shape[1] // TILE), -(-C.shape[0] // TILE))
        kernels[kernel][blocks, (TILE, TILE)](A.astype(dtype), B.astype(dtype), C)
    return C
