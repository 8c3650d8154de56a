# exercise: kernels_profile_forward
# why: no try/finally: when the model raises, the profiler stays switched on
def profile_forward(model, x, repeats=10):
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    model(x)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeats):
        model(x)
    profiler.disable()
    rows = [(name, cum_s / repeats) for (_, _, name), (_, _, _, cum_s, _) in pstats.Stats(profiler).stats.items()]
    rows.sort(key=lambda row: row[1], reverse=True)
    return rows[:10]
