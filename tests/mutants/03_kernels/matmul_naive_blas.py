# exercise: kernels_matmul_naive
# why: hands the product to BLAS instead of writing the three loops the exercise teaches
def matmul_naive(A, B):
    matmul_shapes(A, B)
    return A @ B
