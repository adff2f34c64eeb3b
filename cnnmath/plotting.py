"""Figure helpers shared by the chapters, and the helper that prints library code.

Every figure in the book is drawn by code; the helpers here are the ones that
more than one chapter needs. Figures have transparent backgrounds and draw
their own light panels, so they stay readable in the theme's dark mode.
"""

import ast
import inspect
import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from ._validation import as_int, as_pair

__all__ = [
    "BOOK_STYLE", "use_book_style", "print_source", "show_grid", "kernel_taps",
    "draw_kernel_positions", "draw_connections", "draw_volumes", "draw_transposed_positions",
]

BOOK_STYLE = {
    # 100 dpi: an inch of figure is 100 CSS px on the page, so a chapter can size a
    # figure for the 672 px text column at 1280 px (6.7 in) without guessing.
    "figure.dpi": 100,
    "savefig.dpi": 100,
    # Transparent: the page shows through, and in the theme's dark mode the book's CSS
    # (book/_static/custom.css) puts every figure on a white card, so black labels stay
    # readable there too.
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    "axes.facecolor": "white",
    "axes.grid": False,
    # No text below 12 pt: 16.7 px in the PNG, still 10 CSS px when a figure up to
    # 11.2 in wide is shrunk to the text column (tests/built_book/test_figure_text.py
    # checks every figure against the smallest of these sizes).
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.title_fontsize": 12,
    "figure.titlesize": 13,
    "image.interpolation": "nearest",
}


def use_book_style():
    """Apply the book's matplotlib settings (call once at the top of a chapter).

    The settings are ``BOOK_STYLE``: 100 dpi, transparent figure backgrounds,
    white axes, no grid, 10-point text with larger labels and titles, and
    unsmoothed images.

    Notes
    -----
    Every chapter calls it in its first cell, starting with :ref:`images-chapter`.
    """
    mpl.rcParams.update(BOOK_STYLE)


def print_source(obj):
    """Print a function's or a class's source with its docstring cut to the summary.

    A chapter shows the code it derives; the full docstring (parameters, shapes,
    errors) belongs to the API reference, and printed in full it would bury a
    four-line backward pass. Only the docstring's first paragraph is kept.

    Parameters
    ----------
    obj : callable
        A function or class defined in a source file.

    Raises
    ------
    TypeError
        If ``obj`` is not a function or class with Python source (a builtin, a number).

    Notes
    -----
    The book uses it first in :ref:`act-kinks`.
    """
    if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj)):
        raise TypeError(f"obj must be a function or a class, got {type(obj).__name__}")
    lines = textwrap.dedent(inspect.getsource(obj)).splitlines()
    definition = ast.parse("\n".join(lines)).body[0]
    docstring = ast.get_docstring(definition)
    if docstring is not None:
        first = definition.body[0]          # the docstring's statement
        indent = " " * first.col_offset
        summary = docstring.split("\n\n")[0].splitlines()
        summary[0] = '"""' + summary[0]
        summary[-1] += '"""'
        lines[first.lineno - 1:first.end_lineno] = [indent + line for line in summary]
    print("\n".join(lines) + "\n")


def show_grid(values, ax=None, cmap="gray", fmt="{:.0f}", vmin=None, vmax=None,
              highlight=None, title=None, fontsize=8):
    """Draw a 2-D array as coloured cells with each cell's number written in it.

    Parameters
    ----------
    values : ndarray
        (H, W), the numbers to draw.
    ax : Axes, optional
        Where to draw; a new figure is made when omitted.
    cmap : str
        A matplotlib colormap name.
    fmt : str
        Format of the number in each cell.
    vmin, vmax : float, optional
        The values mapped to the ends of the colormap; default the array's extremes.
    highlight : tuple, optional
        ``(row, col, height, width)``: a rectangle of cells to outline (a kernel
        window, a pooling region).
    title : str, optional
        The Axes' title.
    fontsize : float
        Size of the numbers and tick labels.

    Returns
    -------
    Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``values`` is not 2-D.

    Notes
    -----
    The book uses it first in :ref:`conv-worked`.
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


# ---------------------------------------------------------------------------
# Convolution figures (added by the Convolution chapter)
# ---------------------------------------------------------------------------

def _conv_padding(padding):
    """Return padding as ((top, bottom), (left, right)) from an int, a pair or two pairs."""
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and all(
            isinstance(p, (tuple, list)) for p in padding):
        return tuple(tuple(as_pair(p, "padding", minimum=0)) for p in padding)
    if isinstance(padding, (tuple, list)):
        p_h, p_w = as_pair(padding, "padding", minimum=0)
        return ((p_h, p_h), (p_w, p_w))
    p = as_int(padding, "padding", minimum=0)
    return ((p, p), (p, p))


def kernel_taps(out_index, kernel_size, stride=1, dilation=1):
    """Cells of the padded input that one kernel placement reads.

    The output element ``(i, j)`` of a cross-correlation reads the padded input
    at rows ``s_h i + d_h a`` and columns ``s_w j + d_w b`` for kernel indices
    ``0 <= a < k_h`` and ``0 <= b < k_w``.

    Parameters
    ----------
    out_index : tuple
        ``(i, j)``, the output element, two ints >= 0.
    kernel_size, stride, dilation : int or tuple of int
        An int or a pair ``(for_height, for_width)``, each >= 1.

    Returns
    -------
    list
        ``(row, col)`` pairs in padded-input coordinates, in row-major kernel order.

    Raises
    ------
    TypeError
        If ``out_index`` is not a tuple or list, or an entry or size is not an int.
    ValueError
        If ``out_index`` does not have two entries, or a value is below its minimum.

    Notes
    -----
    The book uses it first in :ref:`conv-stride`.
    """
    if not isinstance(out_index, (tuple, list)):
        raise TypeError(f"out_index must be a pair (i, j), got {out_index!r}")
    if len(out_index) != 2:
        raise ValueError(f"out_index must be a pair (i, j), got {out_index!r}")
    i, j = (as_int(v, "out_index", minimum=0) for v in out_index)
    k_h, k_w = as_pair(kernel_size, "kernel_size", minimum=1)
    s_h, s_w = as_pair(stride, "stride", minimum=1)
    d_h, d_w = as_pair(dilation, "dilation", minimum=1)
    return [(s_h * i + d_h * a, s_w * j + d_w * b) for a in range(k_h) for b in range(k_w)]


def draw_kernel_positions(input_shape, kernel_size, stride=1, padding=0, dilation=1,
                          positions=None, ax=None, title=None, cell=0.38):
    """Draw an input grid, its zero padding shaded, and where the kernel lands.

    Each placement in ``positions`` (output indices ``(i, j)``) is drawn in its
    own colour: the cells the kernel reads are filled and the window's extent
    is outlined, so stride (how far placements move) and dilation (the gaps
    between the cells one placement reads) can be seen at a glance.

    Parameters
    ----------
    input_shape : int or tuple of int
        Size ``(H, W)`` of the unpadded input (an int for a square).
    kernel_size, stride, dilation : int or tuple of int
        An int or a pair ``(for_height, for_width)``, each >= 1.
    padding : int or tuple
        An int, ``(p_h, p_w)`` or ``((top, bottom), (left, right))``, each >= 0.
    positions : list, optional
        Output indices ``(i, j)`` to draw; default: the first two placements of
        the first output row and the first placement of the second row (those
        that exist).
    ax : Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        The Axes' title.
    cell : float
        Size of one cell in inches, when a new figure is made.

    Returns
    -------
    Axes
        The Axes drawn on. ``ax.conv_output_shape`` holds ``(out_h, out_w)``.
        Tap squares carry the gid ``'tap'``, window outlines ``'window'`` and
        padding cells ``'padding'``.

    Raises
    ------
    TypeError
        If a size is not an int or a pair of ints.
    ValueError
        If a size is below its minimum, the dilated kernel does not fit the
        padded input, or a position is not an output index.

    Notes
    -----
    The book uses it first in :ref:`conv-padding`.
    """
    h, w = as_pair(input_shape, "input_shape", minimum=1)
    k_h, k_w = as_pair(kernel_size, "kernel_size", minimum=1)
    s_h, s_w = as_pair(stride, "stride", minimum=1)
    d_h, d_w = as_pair(dilation, "dilation", minimum=1)
    (top, bottom), (left, right) = _conv_padding(padding)
    rows, cols = h + top + bottom, w + left + right
    span_h, span_w = d_h * (k_h - 1) + 1, d_w * (k_w - 1) + 1
    if span_h > rows or span_w > cols:
        raise ValueError(
            f"kernel_size {(k_h, k_w)} with dilation {(d_h, d_w)} spans {(span_h, span_w)} "
            f"cells, which does not fit the padded input of shape {(rows, cols)}")
    out_h, out_w = (rows - span_h) // s_h + 1, (cols - span_w) // s_w + 1
    if positions is None:
        positions = [p for p in [(0, 0), (0, 1), (1, 0)] if p[0] < out_h and p[1] < out_w]
    positions = list(positions)
    for pos in positions:
        if (not isinstance(pos, (tuple, list)) or len(pos) != 2
                or not 0 <= pos[0] < out_h or not 0 <= pos[1] < out_w):
            raise ValueError(f"positions must hold output indices (i, j) with 0 <= i < {out_h} "
                             f"and 0 <= j < {out_w}, got {pos!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(cell * cols + 0.8, cell * rows + 0.8))
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_aspect("equal")
    for r in range(rows):
        for c in range(cols):
            inside = top <= r < top + h and left <= c < left + w
            if not inside:
                ax.add_patch(mpl.patches.Rectangle(
                    (c - 0.5, r - 0.5), 1, 1, facecolor="0.88", edgecolor="0.7",
                    linewidth=0, hatch="///", gid="padding"))
    for k in range(rows + 1):
        ax.axhline(k - 0.5, color="0.55", linewidth=0.5)
    for k in range(cols + 1):
        ax.axvline(k - 0.5, color="0.55", linewidth=0.5)
    ax.add_patch(mpl.patches.Rectangle((left - 0.5, top - 0.5), w, h, fill=False,
                                       edgecolor="black", linewidth=1.5))
    colors = ["tab:red", "tab:blue", "tab:green", "tab:orange", "tab:purple", "tab:brown"]
    inset = 0.08
    for n, (i, j) in enumerate(positions):
        color = colors[n % len(colors)]
        taps = kernel_taps((i, j), (k_h, k_w), (s_h, s_w), (d_h, d_w))
        for r, c in taps:
            ax.add_patch(mpl.patches.Rectangle(
                (c - 0.5 + inset, r - 0.5 + inset), 1 - 2 * inset, 1 - 2 * inset,
                facecolor=color, alpha=0.45, edgecolor=color, gid="tap"))
        r0, c0 = taps[0]
        offset = 0.04 * (n + 1)
        ax.add_patch(mpl.patches.Rectangle(
            (c0 - 0.5 + offset, r0 - 0.5 + offset), span_w - 2 * offset, span_h - 2 * offset,
            fill=False, edgecolor=color, linewidth=2, linestyle="--", gid="window",
            label=f"output ({i}, {j})"))
    ax.set_xticks([])
    ax.set_yticks([])
    if positions:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=8, frameon=False,
                  ncol=min(len(positions), 3), handlelength=1.5, columnspacing=1.0)
    if title is not None:
        ax.set_title(title)
    ax.conv_output_shape = (out_h, out_w)
    return ax


def draw_connections(pattern, ax=None, input_labels=None, output_labels=None,
                     weight_labels=None, title=None):
    """Draw a layer as a bipartite graph: which input feeds which output, through which weight.

    Parameters
    ----------
    pattern : ndarray
        (n_out, n_in) integers: ``pattern[o, i] = 0`` means input ``i`` does not
        reach output ``o``; ``pattern[o, i] = k > 0`` means it does, through
        weight number ``k``. Edges through the same weight share a colour
        (parameter sharing).
    ax : Axes, optional
        Where to draw; a new figure is made when omitted.
    input_labels, output_labels : list of str, optional
        Labels of the n_in input and n_out output nodes; default 1, 2, ... and A, B, ...
    weight_labels : list of str, optional
        Legend entry of each weight number; default w1, w2, ...
    title : str, optional
        The Axes' title.

    Returns
    -------
    Axes
        The Axes drawn on; every edge is a Line2D with gid ``'edge'``.

    Raises
    ------
    TypeError
        If ``pattern`` does not hold integers.
    ValueError
        If ``pattern`` is not 2-D or has a negative entry, or a label list has
        the wrong length.

    Notes
    -----
    The book uses it first in :ref:`conv-sharing`.
    """
    pattern = np.asarray(pattern)
    if pattern.ndim != 2:
        raise ValueError(f"pattern must be a 2-D array (n_out, n_in), got shape {pattern.shape}")
    if pattern.dtype.kind not in "iu":
        raise TypeError("pattern must hold non-negative integers (0 = no connection, "
                        f"k = weight number k), got dtype {pattern.dtype}")
    if pattern.size and pattern.min() < 0:
        raise ValueError("pattern must hold non-negative integers (0 = no connection, "
                         f"k = weight number k), got the value {pattern.min()}")
    n_out, n_in = pattern.shape
    input_labels = [str(k + 1) for k in range(n_in)] if input_labels is None else input_labels
    output_labels = [chr(65 + k) for k in range(n_out)] if output_labels is None else output_labels
    if len(input_labels) != n_in or len(output_labels) != n_out:
        raise ValueError(f"input_labels and output_labels must have {n_in} and {n_out} entries, "
                         f"got {len(input_labels)} and {len(output_labels)}")
    n_weights = int(pattern.max()) if pattern.size else 0
    if weight_labels is None:
        weight_labels = [f"w{k}" for k in range(1, n_weights + 1)]
    if len(weight_labels) < n_weights:
        raise ValueError(f"weight_labels must have at least {n_weights} entries, "
                         f"got {len(weight_labels)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 0.38 * max(n_in, n_out) + 0.8))
    y_in = np.linspace(0, 1, n_in) if n_in > 1 else np.array([0.5])
    y_out = (np.linspace(0.5 - 0.5 * (n_out - 1) / max(n_in - 1, 1),
                         0.5 + 0.5 * (n_out - 1) / max(n_in - 1, 1), n_out)
             if n_out > 1 else np.array([0.5]))
    colors = mpl.colormaps["tab10"]
    seen = set()
    for o in range(n_out):
        for i in range(n_in):
            k = int(pattern[o, i])
            if k == 0:
                continue
            label = weight_labels[k - 1] if k not in seen else None
            seen.add(k)
            ax.plot([0, 1], [1 - y_in[i], 1 - y_out[o]], color=colors((k - 1) % 10),
                    linewidth=1.6, gid="edge", label=label)
    ax.scatter(np.zeros(n_in), 1 - y_in, s=260, color="white", edgecolor="black", zorder=3)
    ax.scatter(np.ones(n_out), 1 - y_out, s=260, color="0.85", edgecolor="black", zorder=3)
    for i in range(n_in):
        ax.text(0, 1 - y_in[i], input_labels[i], ha="center", va="center", fontsize=8, zorder=4)
    for o in range(n_out):
        ax.text(1, 1 - y_out[o], output_labels[o], ha="center", va="center", fontsize=8,
                zorder=4)
    ax.set_xlim(-0.25, 1.25)
    ax.set_ylim(-0.08, 1.08)
    ax.axis("off")
    if seen:
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    if title is not None:
        ax.set_title(title)
    return ax


def _box_length(n):
    """Drawn length of a tensor side of n elements (log scale, so 3 and 600 both fit)."""
    return 0.45 + 0.55 * np.log(n)


def draw_volumes(shapes, labels=None, symbols=None, counts=None, ax=None, title=None):
    """Draw tensors as boxes in a row, each side labelled with its true length.

    Parameters
    ----------
    shapes : list of tuple
        One ``(C, H, W)`` per tensor, positive ints: depth C, height H, width W
        (drawn on a log scale).
    labels : list of str, optional
        A caption under each box.
    symbols : list of str, optional
        ``len(shapes) - 1`` strings drawn between consecutive boxes ('*', '=').
    counts : list of int, optional
        Draw box k as a stack of ``counts[k]`` copies (several filters, a batch).
    ax : Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        The Axes' title.

    Returns
    -------
    Axes
        The Axes drawn on; each box face is a Polygon with gid ``'face'``.

    Raises
    ------
    ValueError
        If a shape is not a triple of positive ints, or ``labels``, ``counts``
        or ``symbols`` has the wrong length.

    Notes
    -----
    The book uses it first in :ref:`conv-volume`.
    """
    shapes = [tuple(s) for s in shapes]
    for s in shapes:
        if len(s) != 3 or any(int(v) != v or v < 1 for v in s):
            raise ValueError(f"shapes must be (C, H, W) triples of positive ints, got {s!r}")
    n = len(shapes)
    labels = [""] * n if labels is None else list(labels)
    counts = [1] * n if counts is None else list(counts)
    symbols = [""] * max(n - 1, 0) if symbols is None else list(symbols)
    if len(labels) != n or len(counts) != n or len(symbols) != max(n - 1, 0):
        raise ValueError(f"labels and counts need {n} entries and symbols {max(n - 1, 0)}, got "
                         f"{len(labels)}, {len(counts)} and {len(symbols)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.3 * n + 0.5, 3.0))
    slant = np.array([0.55, 0.45])
    x = 0.0
    palette = ["#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc", "#fc9272"]
    top_y = 0.0
    for k, ((c, h, w), label, count) in enumerate(zip(shapes, labels, counts)):
        dw, dh, dc = _box_length(w), _box_length(h), _box_length(c) * 0.6
        depth = dc * slant
        color = palette[k % len(palette)]
        shown = min(int(count), 4)
        step = depth + np.array([0.2, 0.16])
        for m in reversed(range(shown)):
            o = np.array([x, 0.0]) + m * step
            front = [o, o + [dw, 0], o + [dw, dh], o + [0, dh]]
            top = [o + [0, dh], o + [dw, dh], o + [dw, dh] + depth, o + [0, dh] + depth]
            side = [o + [dw, 0], o + [dw, 0] + depth, o + [dw, dh] + depth, o + [dw, dh]]
            for face, shade in ((front, 1.0), (top, 0.85), (side, 0.7)):
                rgb = np.array(mpl.colors.to_rgb(color)) * shade
                ax.add_patch(mpl.patches.Polygon(face, closed=True, facecolor=rgb,
                                                 edgecolor="black", linewidth=0.8, gid="face"))
        ax.text(x + dw / 2, -0.12, f"{w}", ha="center", va="top", fontsize=8)
        ax.text(x - 0.12, dh / 2, f"{h}", ha="right", va="center", fontsize=8)
        ax.text(x + dw + depth[0] / 2 + 0.12, depth[1] / 2 - 0.05, f"{c}", ha="left",
                va="top", fontsize=8)
        caption = label + (f"\n(x {count})" if count > 1 else "")
        ax.text(x + dw / 2, -0.6, caption, ha="center", va="top", fontsize=9)
        top_y = max(top_y, dh + depth[1] + (shown - 1) * step[1])
        x_next = x + dw + depth[0] + (shown - 1) * step[0] + 0.5
        if k < n - 1:
            ax.text(x_next + 0.2, dh / 2, symbols[k], ha="center", va="center", fontsize=16)
        x = x_next + 0.9
    ax.set_xlim(-0.6, x - 0.4)
    ax.set_ylim(-2.2, top_y + 0.4)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------------------
# Output-size figures (added by the Output-size chapter)
# ---------------------------------------------------------------------------

def draw_transposed_positions(input_size, kernel_size, stride=1, padding=0, output_padding=0,
                              dilation=1, positions=None, ax=None, title=None, cell=0.38):
    """Draw a transposed convolution as the direct convolution it equals.

    Following Dumoulin and Visin, ``conv_transpose2d`` of an ``n x n`` input
    is a stride-1 convolution (with the kernel rotated by 180 degrees) over the
    input with ``stride - 1`` zeros inserted between neighbouring pixels and
    ``dilation (kernel_size - 1) - padding`` zeros around it, plus
    ``output_padding`` more at the bottom and right. The inserted zeros are
    dotted (gid ``'inserted'``); everything else is as in
    ``draw_kernel_positions``.

    Parameters
    ----------
    input_size, kernel_size, stride, padding, output_padding, dilation : int
        As in ``conv_transpose_output_size``; ``padding`` must be at most
        ``dilation (kernel_size - 1)``.
    positions, ax, title, cell
        As in ``draw_kernel_positions``.

    Returns
    -------
    Axes
        The Axes drawn on; ``ax.conv_output_shape`` is the transposed
        convolution's output shape.

    Raises
    ------
    TypeError
        If a size is not an int.
    ValueError
        If a size is below its minimum, or ``padding`` exceeds ``dilation (kernel_size - 1)``.

    Notes
    -----
    The book derives this in :ref:`size-transposed`.
    """
    n = as_int(input_size, "input_size", minimum=1)
    k = as_int(kernel_size, "kernel_size", minimum=1)
    s = as_int(stride, "stride", minimum=1)
    p = as_int(padding, "padding", minimum=0)
    op = as_int(output_padding, "output_padding", minimum=0)
    d = as_int(dilation, "dilation", minimum=1)
    border = d * (k - 1) - p
    if border < 0:
        raise ValueError(f"padding must be at most dilation * (kernel_size - 1) = {d * (k - 1)} "
                         f"for this picture, got padding={p}")
    stretched = (n - 1) * s + 1
    ax = draw_kernel_positions(stretched, k, 1, ((border, border + op), (border, border + op)),
                               d, positions=positions, ax=ax, title=title, cell=cell)
    for r in range(stretched):
        for c in range(stretched):
            if r % s or c % s:
                ax.add_patch(mpl.patches.Rectangle(
                    (border + c - 0.5, border + r - 0.5), 1, 1, facecolor="0.95",
                    edgecolor="0.6", linewidth=0, hatch="..", gid="inserted", zorder=0.5))
    return ax
