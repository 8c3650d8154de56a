# exercise: kernels_parallel_relu
# why: every worker gets n // num_workers elements, so the remainder (or everything, when n < workers) is lost
def parallel_relu(x, num_workers=4):
    if num_workers < 1:
        raise ValueError(f"num_workers must be >= 1, got {num_workers}")
    flat = np.asarray(x).reshape(-1)
    out = np.zeros_like(flat)
    chunk = flat.size // num_workers

    def work(w):
        lo, hi = w * chunk, (w + 1) * chunk
        out[lo:hi] = np.maximum(flat[lo:hi], 0)

    with ThreadPoolExecutor(max_workers=num_workers) as pool:
        list(pool.map(work, range(num_workers)))
    return out.reshape(np.shape(x))
