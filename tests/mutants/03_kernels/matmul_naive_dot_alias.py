# exercise: kernels_matmul_naive
# why: BLAS through an alias bound when the cell runs, so no library name appears in the function
product = np.matmul


def matmul_naive(A, B):
    matmul_shapes(A, B)
    return product(A, B)
