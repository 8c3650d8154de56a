# exercise: kernels_profile_forward
# why: pstats' own sort_stats("cumulative"), names from pstats.func_std_string, total seconds
def profile_forward(model, x, repeats=10):
    if repeats < 1:
        raise ValueError(f"repeats={repeats}: need at least one profiled call")
    model(x)
    prof = cProfile.Profile()
    try:
        prof.enable()
        for _ in range(repeats):
            model(x)
    finally:
        prof.disable()
    stats = pstats.Stats(prof).sort_stats("cumulative")
    return [(pstats.func_std_string(func), float(stats.stats[func][3])) for func in stats.fcn_list[:10]]
