# exercise: kernels_matmul_kernel_naive
# why: reads B[col, j] instead of B[j, col] (only right for symmetric B)
@cuda.jit
def matmul_kernel_naive(A, B, C):
    col, row = cuda.grid(2)
    if row < C.shape[0] and col < C.shape[1]:
        acc = 0.0
        for j in range(A.shape[1]):
            acc += A[row, j] * B[col, j]
        C[row, col] = acc
