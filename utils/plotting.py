"""Quiet matplotlib figures for notebooks and for the grader (no display needed)."""

from __future__ import annotations

from typing import Any


def new_figure(ncols: int = 1, nrows: int = 1, width_in: float = 4.5, height_in: float = 3.4) -> tuple[Any, Any]:
    """A figure with ``nrows`` x ``ncols`` axes, sized per panel; returns ``(fig, axes)``.

    Uses ``matplotlib.figure.Figure`` directly, so no GUI backend is touched and nothing is
    printed; the notebook shows the figure when it is the value of a cell.
    """
    from matplotlib.figure import Figure

    if ncols < 1 or nrows < 1:
        raise ValueError(f"need at least one panel, got nrows={nrows}, ncols={ncols}")
    _show_figures_inline()
    fig = Figure(figsize=(width_in * ncols, height_in * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True)
    return fig, axes


def _show_figures_inline() -> None:
    """In a notebook kernel, make a ``Figure`` that ends a cell show as an image.

    A bare ``Figure`` (not made through pyplot) is only drawn once IPython's inline backend has
    registered its display formatter; outside IPython this does nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_course_inline_figures", False):
        return
    shell.run_line_magic("matplotlib", "inline")
    shell._course_inline_figures = True
