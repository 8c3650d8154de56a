# exercise: complexity_plot
# why: times drawn on linear axes, where the small sizes collapse onto zero
def plot_performance(results):
    sizes = results["sizes"]
    fig, (ax_time, ax_mem, ax_speed) = new_figure(ncols=3)
    ax_time.plot(sizes, [results["loop_times"][n] for n in sizes], label="loop")
    ax_time.plot(sizes, [results["vectorized_times"][n] for n in sizes], label="vectorized")
    ax_time.set_ylabel("seconds")
    ax_mem.plot(sizes, [results["memory_loop"][n] for n in sizes], label="loop")
    ax_mem.plot(sizes, [results["memory_vectorized"][n] for n in sizes], label="vectorized")
    ax_mem.set_ylabel("peak bytes")
    ax_speed.plot(sizes, [results["loop_times"][n] / results["vectorized_times"][n] for n in sizes])
    ax_speed.set_ylabel("speedup")
    for ax in (ax_time, ax_mem, ax_speed):
        ax.set_xlabel("n")
    return fig
