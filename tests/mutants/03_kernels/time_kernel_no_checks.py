# exercise: kernels_time_kernel
# why: repeats=0 is not refused (it crashes on an empty list, or returns nothing useful)
def time_kernel(func, *args, repeats=5, warmup=1, **kwargs):
    for _ in range(max(warmup, 0)):
        func(*args, **kwargs)
    times_us = [0.0]
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        times_us.append((time.perf_counter() - start) * 1e6)
    return result, float(statistics.median(times_us[1:] or times_us))
