# exercise: kernels_gpu_sum
# why: one launch, then the few block sums are added on the host
def gpu_sum(x):
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"dtype {x.dtype}: expected booleans, integers or floats")
    acc = np.float64 if x.dtype.kind == "f" else np.int64
    values = x.reshape(-1).astype(acc)
    if values.size == 0:
        return acc(0)
    partial = np.zeros(-(-values.size // THREADS_PER_BLOCK), dtype=acc)
    reduce_sum_kernel[partial.size, THREADS_PER_BLOCK](values, partial)
    return partial.sum(dtype=acc)
