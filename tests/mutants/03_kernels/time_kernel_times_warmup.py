# exercise: kernels_time_kernel
# why: the warm-up calls are timed too, so compile time leaks into the median
def time_kernel(func, *args, repeats=5, warmup=1, **kwargs):
    if repeats < 1 or warmup < 0:
        raise ValueError(f"repeats must be >= 1 and warmup >= 0, got {repeats}, {warmup}")
    times_us = []
    for _ in range(warmup + repeats):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        times_us.append((time.perf_counter() - start) * 1e6)
    return result, float(np.median(times_us))
