# exercise: kernels_gpu_sum
# why: rounds the block count down, so the elements past the last full block are never added
def gpu_sum(x):
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"dtype {x.dtype}: expected booleans, integers or floats")
    acc = np.float64 if x.dtype.kind == "f" else np.int64
    if x.size == 0:
        return acc(0)
    values = np.ascontiguousarray(x.ravel(), dtype=acc)
    blocks = max(values.size // THREADS_PER_BLOCK, 1)
    partial = np.zeros(blocks, dtype=acc)
    reduce_sum_kernel[blocks, THREADS_PER_BLOCK](values, partial)
    return acc(partial.sum())
