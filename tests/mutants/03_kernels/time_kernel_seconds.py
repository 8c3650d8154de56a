# exercise: kernels_time_kernel
# why: returns seconds, not microseconds
def time_kernel(func, *args, repeats=5, warmup=1, **kwargs):
    if repeats < 1 or warmup < 0:
        raise ValueError(f"repeats must be >= 1 and warmup >= 0, got {repeats}, {warmup}")
    for _ in range(warmup):
        func(*args, **kwargs)
    times_s = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        times_s.append(time.perf_counter() - start)
    return result, float(statistics.median(times_s))
