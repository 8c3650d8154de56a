# exercise: complexity_plot
# why: speedup computed as vectorized time / loop time (the slowdown, not the speedup)
def plot_performance(results):
    sizes = results["sizes"]
    fig, (ax_time, ax_mem, ax_speed) = new_figure(ncols=3)
    ax_time.loglog(sizes, [results["loop_times"][n] for n in sizes], label="loop")
    ax_time.loglog(sizes, [results["vectorized_times"][n] for n in sizes], label="vectorized")
    ax_time.set_ylabel("seconds")
    ax_mem.loglog(sizes, [results["memory_loop"][n] for n in sizes], label="loop")
    ax_mem.loglog(sizes, [results["memory_vectorized"][n] for n in sizes], label="vectorized")
    ax_mem.set_ylabel("peak bytes")
    ax_speed.semilogx(sizes, [results["vectorized_times"][n] / results["loop_times"][n] for n in sizes])
    ax_speed.set_ylabel("speedup")
    for ax in (ax_time, ax_mem, ax_speed):
        ax.set_xlabel("n")
    return fig
