# exercise: kernels_profile_forward
# why: returns the first ten functions in the profiler's own order, not sorted by time
def profile_forward(model, x, repeats=10):
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    model(x)
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        for _ in range(repeats):
            model(x)
    finally:
        profiler.disable()
    rows = [(name, cum_s / repeats) for (_, _, name), (_, _, _, cum_s, _) in pstats.Stats(profiler).stats.items()]
    return sorted(rows)[:10]
