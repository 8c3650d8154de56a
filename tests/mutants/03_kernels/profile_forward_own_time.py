# exercise: kernels_profile_forward
# why: ranks by each function's own time (tottime), not by cumulative time
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
    rows = [(name, own_s / repeats) for (_, _, name), (_, _, own_s, _, _) in pstats.Stats(profiler).stats.items()]
    rows.sort(key=lambda row: row[1], reverse=True)
    return rows[:10]
