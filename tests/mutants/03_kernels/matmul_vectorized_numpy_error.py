# exercise: kernels_matmul_vectorized
# why: leaves the shape check to NumPy, whose message does not name the two shapes
def matmul_vectorized(A, B):
    return A @ B
