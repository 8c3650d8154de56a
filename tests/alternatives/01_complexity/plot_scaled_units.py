# exercise: complexity_plot
# why: milliseconds and MiB, scatter markers for memory, speedup on log-log axes, panels stacked
def plot_performance(results):
    sizes = sorted(results["sizes"])
    fig, (ax_time, ax_mem, ax_speed) = new_figure(nrows=3, width_in=6.0, height_in=2.6)
    for key, label in (("loop_times", "Python loop"), ("vectorized_times", "NumPy")):
        ax_time.loglog(sizes, [1e3 * results[key][n] for n in sizes], marker="o", label=label)
    ax_time.set_ylabel("time (ms)")
    ax_time.legend()
    for key, label in (("memory_loop", "Python loop"), ("memory_vectorized", "NumPy")):
        ax_mem.scatter(sizes, [results[key][n] / 2**20 for n in sizes], label=label)
    ax_mem.set_xscale("log")
    ax_mem.set_ylabel("peak memory (MiB)")
    ax_mem.legend()
    ratio = [results["loop_times"][n] / results["vectorized_times"][n] for n in sizes]
    ax_speed.loglog(sizes, ratio, marker="^")
    ax_speed.set_ylabel("speedup (x)")
    ax_speed.set_xlabel("elements")
    return fig
