# exercise: kernels_time_kernel
# why: integer nanosecond clock and np.median, converted at the end
def time_kernel(func, *args, repeats=5, warmup=1, **kwargs):
    if not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats={repeats!r}: need at least one timed call")
    if not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"warmup={warmup!r}: cannot be negative")
    result = None
    for _ in range(warmup):
        result = func(*args, **kwargs)
    elapsed_ns = np.empty(repeats, dtype=np.int64)
    for r in range(repeats):
        t0 = time.perf_counter_ns()
        result = func(*args, **kwargs)
        elapsed_ns[r] = time.perf_counter_ns() - t0
    return result, float(np.median(elapsed_ns)) / 1e3
