# exercise: kernels_vectorized_operations
# why: the Euclidean distance without the square root, and cosine without guarding zero vectors
def vectorized_operations(x, y):
    if x.shape != y.shape:
        raise ValueError(f"shapes {x.shape} and {y.shape} differ")
    diff = x - y
    dot = float(np.sum(x * y))
    return {
        "element_wise_add": x + y,
        "element_wise_multiply": x * y,
        "squared_difference": diff ** 2,
        "euclidean_distance": float(np.sum(diff ** 2)),
        "dot_product": dot,
        "cosine_similarity": dot / (np.linalg.norm(x) * np.linalg.norm(y)),
    }
