# exercise: kernels_vectorized_operations
# why: np.dot on flattened arrays and np.linalg.norm for the distance
def vectorized_operations(x, y):
    if np.shape(x) != np.shape(y):
        raise ValueError(f"cannot combine shapes {np.shape(x)} and {np.shape(y)}")
    fx, fy = np.ravel(x), np.ravel(y)
    dot = float(np.dot(fx, fy))
    nx, ny = np.linalg.norm(fx), np.linalg.norm(fy)
    return {
        "element_wise_add": np.add(x, y),
        "element_wise_multiply": np.multiply(x, y),
        "squared_difference": np.square(np.subtract(x, y)),
        "euclidean_distance": float(np.linalg.norm(fx - fy)),
        "dot_product": dot,
        "cosine_similarity": 0.0 if nx == 0 or ny == 0 else float(dot / (nx * ny)),
    }
