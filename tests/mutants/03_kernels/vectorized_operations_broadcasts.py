# exercise: kernels_vectorized_operations
# why: no shape check: arrays of different shapes are broadcast instead of refused
def vectorized_operations(x, y):
    diff = x - y
    dot = float(np.sum(x * y))
    norms = float(np.linalg.norm(x)) * float(np.linalg.norm(y))
    return {
        "element_wise_add": x + y,
        "element_wise_multiply": x * y,
        "squared_difference": diff ** 2,
        "euclidean_distance": float(np.sqrt(np.sum(diff ** 2))),
        "dot_product": dot,
        "cosine_similarity": dot / norms if norms > 0 else 0.0,
    }
