# exercise: kernels_vectorized_relu
# why: zeroes the negatives of the input in place and returns the input itself
def vectorized_relu(x):
    x[x < 0] = 0
    return x
