# exercise: kernels_parallel_relu
# why: returns the flattened result: right values, wrong shape for 2-D input
def parallel_relu(x, num_workers=4):
    if num_workers < 1:
        raise ValueError(f"num_workers must be >= 1, got {num_workers}")
    chunks = np.array_split(np.asarray(x).reshape(-1), num_workers)
    with ThreadPoolExecutor(max_workers=num_workers) as pool:
        parts = list(pool.map(lambda c: np.maximum(c, 0), chunks))
    return np.concatenate(parts)
