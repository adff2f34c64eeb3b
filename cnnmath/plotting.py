"""Figure helpers shared by the chapters.

Every figure in the book is drawn by code; the helpers here are the ones that
more than one chapter needs. Figures have transparent backgrounds and draw
their own light panels, so they stay readable in the theme's dark mode.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

BOOK_STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    "axes.facecolor": "white",
    "axes.grid": False,
    "font.size": 10,
    "image.interpolation": "nearest",
}


def use_book_style():
    """Apply the book's matplotlib settings (call once at the top of a chapter)."""
    mpl.rcParams.update(BOOK_STYLE)


def show_grid(values, ax=None, cmap="gray", fmt="{:.0f}", vmin=None, vmax=None,
              highlight=None, title=None, fontsize=8):
    """Draw a 2-D array as coloured cells with each cell's number written in it.

    Parameters
    ----------
    values : array of shape (H, W)
        The numbers to draw.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    fmt : str
        Format of the number in each cell.
    highlight : (row, col, height, width), optional
        A rectangle of cells to outline (a kernel window, a pooling region).

    Returns
    -------
    The Axes drawn on.
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"values must be a 2-D array, got shape {values.shape}")
    if ax is None:
        height, width = values.shape
        _, ax = plt.subplots(figsize=(0.42 * width + 0.6, 0.42 * height + 0.6))
    numeric = values.astype(np.float64)
    lo = numeric.min() if vmin is None else vmin
    hi = numeric.max() if vmax is None else vmax
    ax.imshow(numeric, cmap=cmap, vmin=lo, vmax=hi)
    colormap = mpl.colormaps[cmap]
    span = (hi - lo) or 1.0
    for (i, j), v in np.ndenumerate(numeric):
        shade = colormap((v - lo) / span)
        brightness = 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2]
        ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center",
                fontsize=fontsize, color="black" if brightness > 0.5 else "white")
    ax.set_xticks(np.arange(values.shape[1]))
    ax.set_yticks(np.arange(values.shape[0]))
    ax.set_xticks(np.arange(-0.5, values.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, values.shape[0]), minor=True)
    ax.grid(which="minor", color="0.6", linewidth=0.5)
    ax.tick_params(which="both", length=0, labelsize=fontsize)
    if highlight is not None:
        row, col, h, w = highlight
        ax.add_patch(mpl.patches.Rectangle((col - 0.5, row - 0.5), w, h, fill=False,
                                           edgecolor="tab:red", linewidth=2.5))
    if title is not None:
        ax.set_title(title)
    return ax

