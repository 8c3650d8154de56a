# exercise: memory_plot_timeline
# why: no legend: the runs cannot be told apart
def plot_memory_timeline(results: dict[str, dict[str, Any]]) -> Figure:
    """One line per run: tensor memory held (MB) after each memory event of a training step.

    Args:
        results: run name -> the dict ``profile_network_memory`` returns.

    Returns:
        The matplotlib figure.

    Raises:
        TypeError: ``results`` is not a dict.
        ValueError: ``results`` is empty.
    """
    # about 14 lines
    if not isinstance(results, dict):
        raise TypeError(f"results must be a dict of name -> profile result, got {type(results).__name__}")
    if not results:
        raise ValueError("results is empty: nothing to plot")
    fig, ax = new_figure(width_in=7.5, height_in=3.6)
    for name, result in results.items():
        held_mb = [mb for _, mb in result["memory_timeline"]]
        (line,) = ax.plot(range(len(held_mb)), held_mb, label=f"{name} (peak {max(held_mb):.1f} MB)")
        ax.axhline(max(held_mb), color=line.get_color(), linestyle=":", linewidth=1)
    ax.set_xlabel("memory event (allocation or free), in order")
    ax.set_ylabel("tensor memory held (MB)")
    ax.set_title("One training step: forward, then backward")
    return fig
