# exercise: memory_find_leak
# why: stops tracemalloc even when the caller had started it
LEAK_THRESHOLD_BYTES_PER_ITER = 1024


def find_leak(step_fn: Callable[[], Any], iterations: int = 50) -> dict[str, Any]:
    """Call ``step_fn`` repeatedly and report whether, how fast and where Python memory grows.

    Args:
        step_fn: a function of no arguments, one iteration of the code under suspicion.
        iterations: calls between the two snapshots, a positive integer.

    Returns:
        ``{"leaking": bool, "growth_bytes_per_iter": float, "top_allocation_site": "file:line" or None}``.

    Raises:
        TypeError: ``step_fn`` is not callable or ``iterations`` is not an integer.
        ValueError: ``iterations`` is less than 1.
    """
    # about 20 lines
    if not callable(step_fn):
        raise TypeError(f"step_fn must be callable, got {step_fn!r}")
    if isinstance(iterations, bool) or not isinstance(iterations, int):
        raise TypeError(f"iterations must be an integer, got {iterations!r}")
    if iterations < 1:
        raise ValueError(f"iterations must be at least 1, got {iterations}")
    for _ in range(3):
        step_fn()
    started_here = not tracemalloc.is_tracing()
    if started_here:
        tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for _ in range(iterations):
            step_fn()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    own = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = after.filter_traces(own).compare_to(before.filter_traces(own), "lineno")
    growth = sum(stat.size_diff for stat in stats) / iterations
    top = max(stats, key=lambda stat: stat.size_diff, default=None)
    site = None
    if top is not None and top.size_diff > 0:
        site = f"{top.traceback[0].filename}:{top.traceback[0].lineno}"
    return {"leaking": growth > LEAK_THRESHOLD_BYTES_PER_ITER, "growth_bytes_per_iter": growth, "top_allocation_site": site}
