# exercise: kernels_vectorized_relu
# why: compares with the float 0.0 through np.where with a float array, turning integer input into float64
def vectorized_relu(x):
    return np.where(x > 0, x, np.zeros(x.shape))
