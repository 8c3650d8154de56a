# exercise: memory_find_leak
# why: growth from get_traced_memory, the site from a traceback comparison, one warm-up call
LEAK_THRESHOLD_BYTES_PER_ITER = 1024


def find_leak(step_fn, iterations=50):
    if not callable(step_fn):
        raise TypeError("step_fn must be callable")
    if not isinstance(iterations, int) or isinstance(iterations, bool):
        raise TypeError(f"iterations {iterations!r} is not an int")
    if iterations <= 0:
        raise ValueError(f"iterations {iterations} must be >= 1")
    step_fn()
    was_on = tracemalloc.is_tracing()
    if not was_on:
        tracemalloc.start(5)
    first = tracemalloc.take_snapshot()
    start_bytes, _ = tracemalloc.get_traced_memory()
    for _ in range(iterations):
        step_fn()
    end_bytes, _ = tracemalloc.get_traced_memory()
    second = tracemalloc.take_snapshot()
    if not was_on:
        tracemalloc.stop()
    growth = (end_bytes - start_bytes) / iterations
    diffs = [d for d in second.compare_to(first, "lineno") if d.size_diff > 0]
    site = None
    if diffs:
        frame = diffs[0].traceback[0]
        site = f"{frame.filename}:{frame.lineno}"
    return {"leaking": growth > LEAK_THRESHOLD_BYTES_PER_ITER, "growth_bytes_per_iter": growth, "top_allocation_site": site}
