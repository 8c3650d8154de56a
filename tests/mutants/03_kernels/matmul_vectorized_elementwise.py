# exercise: kernels_matmul_vectorized
# why: uses the element-wise product `*` instead of the matrix product `@`
def matmul_vectorized(A, B):
    matmul_shapes(A, B)
    return A * B
