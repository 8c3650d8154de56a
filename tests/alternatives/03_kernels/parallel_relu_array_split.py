# exercise: kernels_parallel_relu
# why: np.array_split views of one flat output, one chunk per submitted task
def parallel_relu(x, num_workers=4):
    if num_workers < 1:
        raise ValueError(f"num_workers={num_workers}: need at least one worker")
    x = np.asarray(x)
    out = np.empty_like(x)
    sources = np.array_split(x.reshape(-1), num_workers)
    targets = np.array_split(out.reshape(-1), num_workers)
    with ThreadPoolExecutor(max_workers=num_workers) as pool:
        futures = [pool.submit(np.maximum, s, 0, out=t) for s, t in zip(sources, targets)]
        for f in futures:
            f.result()
    return out
