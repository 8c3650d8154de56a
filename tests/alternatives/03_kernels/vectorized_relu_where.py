# exercise: kernels_vectorized_relu
# why: np.where with a Python zero keeps the dtype
def vectorized_relu(x):
    return np.where(x > 0, x, 0)
