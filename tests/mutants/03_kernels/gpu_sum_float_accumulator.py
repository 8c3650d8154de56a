# exercise: kernels_gpu_sum
# why: sums integers in float64, which rounds once the total passes 2**53
def gpu_sum(x):
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"dtype {x.dtype}: expected booleans, integers or floats")
    if x.size == 0:
        return np.float64(0)
    values = np.ascontiguousarray(x.ravel(), dtype=np.float64)
    blocks = math.ceil(values.size / THREADS_PER_BLOCK)
    partial = np.zeros(blocks, dtype=np.float64)
    reduce_sum_kernel[blocks, THREADS_PER_BLOCK](values, partial)
    return np.float64(partial.sum())
