# exercise: memory_plot_timeline
# why: one panel per run with ax.step, x as the fraction of the step, and a figure legend
def plot_memory_timeline(results):
    if not isinstance(results, dict):
        raise TypeError("results must be a dict")
    if len(results) == 0:
        raise ValueError("no runs to plot")
    fig, axes = new_figure(ncols=len(results))
    axes = np.atleast_1d(axes)
    for ax, (name, result) in zip(axes, results.items()):
        values = [v for _, v in result["memory_timeline"]]
        x = np.linspace(0, 1, len(values))
        ax.step(x, values, where="post", label=name)
        ax.set_xlabel("fraction of the step")
        ax.set_ylabel("MB held")
    fig.legend()
    return fig
