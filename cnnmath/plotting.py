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
    white axes, no grid, text of at least 12 points (titles 13), and
    unsmoothed images.

    Notes
    -----
    Every chapter calls it in its first cell, starting with :ref:`images-chapter`.
    """
    mpl.rcParams.update(BOOK_STYLE)


def print_source(obj, width=79):
    """Print a function's or a class's source with its docstring cut to the summary.

    A chapter shows the code it derives; the full docstring (parameters, shapes,
    errors) belongs to the API reference, and printed in full it would bury a
    four-line backward pass. Only the docstring's first paragraph is kept.
    The library is written to 100 columns and a chapter's output box holds about
    80 characters at 1280 px, so a line longer than ``width`` is broken after a
    comma or before an operator inside its brackets (the printed code is still
    valid Python), and a trailing comment that does not fit moves above its line.

    Parameters
    ----------
    obj : callable
        A function or class defined in a source file.
    width : int
        The longest printed line wanted.

    Raises
    ------
    TypeError
        If ``obj`` is not a function or class with Python source (a builtin, a
        number), or ``width`` is not an int.

    Notes
    -----
    The book uses it first in :ref:`act-kinks`.
    """
    width = as_int(width, "width", minimum=20)
    source = _source_lines(obj)
    lines = [part for line, inside in zip(source, _line_depths(source))
             for part in _wrap_code_line(line, width, inside)]
    print("\n".join(lines) + "\n")


def _source_lines(obj):
    """The source lines of ``obj``, dedented, its docstring cut to the summary."""
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
    return lines


def show_grid(values, ax=None, cmap="gray", fmt="{:.0f}", vmin=None, vmax=None,
              highlight=None, title=None, fontsize=10):
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
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=10, frameon=False,
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
        ax.text(0, 1 - y_in[i], input_labels[i], ha="center", va="center", fontsize=10, zorder=4)
    for o in range(n_out):
        ax.text(1, 1 - y_out[o], output_labels[o], ha="center", va="center", fontsize=10,
                zorder=4)
    ax.set_xlim(-0.25, 1.25)
    ax.set_ylim(-0.08, 1.08)
    ax.axis("off")
    if seen:
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=10, frameon=False)
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
        ax.text(x + dw / 2, -0.12, f"{w}", ha="center", va="top", fontsize=10)
        ax.text(x - 0.12, dh / 2, f"{h}", ha="right", va="center", fontsize=10)
        ax.text(x + dw + depth[0] / 2 + 0.12, depth[1] / 2 - 0.05, f"{c}", ha="left",
                va="top", fontsize=10)
        caption = label + (f"\n(x {count})" if count > 1 else "")
        ax.text(x + dw / 2, -0.6, caption, ha="center", va="top", fontsize=10)
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


# ---------------------------------------------------------------------------
# Backward-pass and memory-layout figures (added by the chapters on
# backpropagation through convolution and on making it fast)
# ---------------------------------------------------------------------------

__all__ += ["draw_gradient_reach", "draw_chain_graph", "draw_im2col_matrix",
            "draw_memory_layouts"]

_REACH_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:purple")


def _cell(ax, x, y, text, facecolor="white", gid=None, fontsize=11, edgecolor="0.35",
          width=1.0, height=1.0, textcolor="black"):
    """One labelled square cell whose lower-left corner is (x, y) in data units."""
    ax.add_patch(mpl.patches.Rectangle((x, y), width, height, facecolor=facecolor,
                                       edgecolor=edgecolor, linewidth=0.8, gid=gid))
    if text:
        ax.text(x + width / 2, y + height / 2, text, ha="center", va="center",
                fontsize=fontsize, color=textcolor)


def _light_panel(ax):
    """A white panel behind an Axes drawn without axes, readable in dark mode too."""
    ax.add_patch(mpl.patches.Rectangle((-0.02, -0.02), 1.04, 1.06, transform=ax.transAxes,
                                       facecolor="white", edgecolor="none", zorder=-10,
                                       clip_on=False, gid="panel"))


def draw_gradient_reach(input_shape, kernel_size, outputs, stride=1, ax=None, title=None):
    """Draw where the gradient of chosen outputs goes: their windows and the weights on them.

    Left, the output grid (the entries of dY) with the chosen ones coloured;
    right, the input grid (dX) with each chosen output's window outlined in the
    same colour (the colour, not an arrow, links an entry to its window) and
    every cell of the window labelled with the weight that carries dY[i, j]
    to it: cell (i s + u, j s + v) receives W[u, v] dY[i, j].
    A cell inside several windows collects one term from each (gid
    ``'shared'``).

    Parameters
    ----------
    input_shape : int or pair of int
        (H, W) of the input.
    kernel_size : int or pair of int
        (k_h, k_w).
    outputs : list of (int, int)
        The output positions (i, j) to follow, at most four.
    stride : int
        The stride of the layer (no padding, no dilation).
    ax : Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        The Axes' title.

    Returns
    -------
    Axes
        The Axes drawn on; ``ax.reach`` maps each output (i, j) to the list of
        ((row, col), (u, v)) pairs it reaches.

    Raises
    ------
    TypeError
        If a size is not an int or a pair of ints.
    ValueError
        If the kernel does not fit, an output lies outside the output grid, or
        more than four outputs are asked for.

    Notes
    -----
    The book draws it in :ref:`bpconv-single`.
    """
    h, w = as_pair(input_shape, "input_shape", 1)
    k_h, k_w = as_pair(kernel_size, "kernel_size", 1)
    s = as_int(stride, "stride", minimum=1)
    if k_h > h or k_w > w:
        raise ValueError(f"kernel_size {(k_h, k_w)} does not fit input_shape {(h, w)}")
    out_h, out_w = (h - k_h) // s + 1, (w - k_w) // s + 1
    outputs = [tuple(o) for o in outputs]
    if len(outputs) > len(_REACH_COLOURS):
        raise ValueError(f"outputs must hold at most {len(_REACH_COLOURS)} positions, "
                         f"got {len(outputs)}")
    for i, j in outputs:
        if not (0 <= i < out_h and 0 <= j < out_w):
            raise ValueError(f"outputs must lie in the {out_h} x {out_w} output grid, "
                             f"got {(i, j)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.62 * (out_w + w) + 1.6, 0.62 * max(h, out_h) + 1.0))
    gap = 2.0
    top = max(h, out_h)
    colour = {o: _REACH_COLOURS[n] for n, o in enumerate(outputs)}
    # the output grid, dY
    for i in range(out_h):
        for j in range(out_w):
            o = (i, j)
            _cell(ax, j, top - 1 - i, f"dY{i}{j}",
                  facecolor=mpl.colors.to_rgba(colour[o], 0.35) if o in colour else "0.93",
                  gid="output", fontsize=10)
    ax.text(out_w / 2, top + 0.25, "dY", ha="center", va="bottom", fontsize=12)
    # the input grid, dX: the terms each cell receives
    left = out_w + gap
    reach = {o: [] for o in outputs}
    terms = {}
    for (i, j) in outputs:
        for u in range(k_h):
            for v in range(k_w):
                cell = (i * s + u, j * s + v)
                reach[(i, j)].append((cell, (u, v)))
                terms.setdefault(cell, []).append(((i, j), (u, v)))
    for r in range(h):
        for c in range(w):
            here = terms.get((r, c), [])
            face = "white" if not here else mpl.colors.to_rgba(colour[here[0][0]], 0.18)
            gid = "shared" if len(here) > 1 else ("reached" if here else "input")
            _cell(ax, left + c, top - 1 - r, "", facecolor=face, gid=gid)
            for n, ((i, j), (u, v)) in enumerate(here):
                ax.text(left + c + 0.5, top - 1 - r + 0.5 + 0.22 * (len(here) - 1 - 2 * n),
                        f"w{u}{v}", ha="center", va="center", fontsize=10,
                        color=colour[(i, j)], fontweight="bold")
    for (i, j) in outputs:
        ax.add_patch(mpl.patches.Rectangle((left + j * s, top - i * s - k_h), k_w, k_h,
                                           fill=False, edgecolor=colour[(i, j)], linewidth=2.5,
                                           gid="window"))
    ax.text(left + w / 2, top + 0.25, "dX: the weight each term carries", ha="center",
            va="bottom", fontsize=12)
    ax.set_xlim(-0.2, left + w + 0.2)
    ax.set_ylim(-0.2, top + 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    _light_panel(ax)
    if title is not None:
        ax.set_title(title)
    ax.reach = reach
    return ax


def draw_chain_graph(ax=None, title=None):
    """Draw one convolution layer as a computational graph, forward and backward.

    Nodes X, W, b, Z = X * W + b, A = g(Z) and the loss L (gid ``'node'``);
    forward edges in grey, and beside each, in colour, the gradient that the
    backward pass sends along it (gid ``'backward'``): dA from the loss,
    dZ = dA (.) g'(Z), and from dZ the three gradients dX, dW and db.

    Parameters
    ----------
    ax : Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        The Axes' title.

    Returns
    -------
    Axes
        The Axes drawn on; ``ax.graph_edges`` lists the (from, to) forward edges.

    Raises
    ------
    TypeError
        Never for the defaults; only if ``ax`` is not a matplotlib Axes.

    Notes
    -----
    The book draws it in :ref:`bpconv-notation`.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 3.0))
    elif not isinstance(ax, mpl.axes.Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    nodes = {"X": (0.0, 2.6), "W": (0.0, 1.4), "b": (0.0, 0.2),
             "Z": (3.3, 1.4), "A": (6.2, 1.4), "L": (8.0, 1.4)}
    half = {"X": 0.75, "W": 0.45, "b": 0.45, "Z": 1.0, "A": 0.75, "L": 0.4}
    labels = {"X": "$X$ (input)", "W": "$W$", "b": "$b$",
              "Z": "$Z = X \\star W + b$", "A": "$A = g(Z)$", "L": "$L$"}
    for name, (x, y) in nodes.items():
        box = mpl.patches.FancyBboxPatch((x - half[name], y - 0.28), 2 * half[name], 0.56,
                                         boxstyle="round,pad=0.06", facecolor="0.93",
                                         edgecolor="0.3", gid="node")
        ax.add_patch(box)
        ax.text(x, y, labels[name], ha="center", va="center", fontsize=12)
    edges = [("X", "Z"), ("W", "Z"), ("b", "Z"), ("Z", "A"), ("A", "L")]
    backward = {("A", "L"): "$\\mathrm{d}A$",
                ("Z", "A"): "$\\mathrm{d}Z = \\mathrm{d}A \\odot g'(Z)$",
                ("X", "Z"): "$\\mathrm{d}X$", ("W", "Z"): "$\\mathrm{d}W$",
                ("b", "Z"): "$\\mathrm{d}b$"}
    for start, end in edges:
        (x0, y0), (x1, y1) = nodes[start], nodes[end]
        x0, x1 = x0 + half[start] + 0.1, x1 - half[end] - 0.1
        ax.annotate("", xy=(x1, y1 + 0.08), xytext=(x0, y0 + 0.08),
                    arrowprops=dict(arrowstyle="->", color="0.45", linewidth=1.5))
        ax.annotate("", xy=(x0, y0 - 0.08), xytext=(x1, y1 - 0.08),
                    arrowprops=dict(arrowstyle="->", color="tab:red", linewidth=1.5,
                                    linestyle="--"), gid="backward")
        if start in ("Z", "A"):
            where = ((x0 + x1) / 2, y0 - 0.55) if start == "Z" else ((x0 + x1) / 2, y0 + 0.4)
        else:
            where = (x0 + 0.55, y0 + (0.1 if y0 > y1 else (0.35 if y0 == y1 else 0.55)))
        ax.text(*where, backward[(start, end)], ha="center", va="center", fontsize=11,
                color="tab:red")
    ax.text(4.0, -0.45, "grey: forward pass     red, dashed: backward pass",
            ha="center", va="center", fontsize=10, color="0.3")
    ax.set_xlim(-0.9, 8.5)
    ax.set_ylim(-0.7, 3.2)
    ax.set_aspect("equal")
    ax.axis("off")
    _light_panel(ax)
    if title is not None:
        ax.set_title(title)
    ax.graph_edges = edges
    return ax


def draw_im2col_matrix(input_shape, kernel_size, window=(0, 0), ax=None, title=None):
    """Draw a one-channel input and its im2col matrix, one row per window.

    Left, the input with entries named ``x{r}{c}`` and one window outlined;
    right, the matrix whose row m = i W_out + j holds the k_h k_w entries that
    window (i, j) reads, in row-major tap order (gid ``'row'`` for the outlined
    window's row). Each input entry appears in as many rows as windows cover it.

    Parameters
    ----------
    input_shape : int or pair of int
        (H, W), at most 6 x 6 so the names stay readable.
    kernel_size : int or pair of int
        (k_h, k_w).
    window : (int, int)
        The output position whose window and row are outlined.
    ax : Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        The Axes' title.

    Returns
    -------
    Axes
        The Axes drawn on; ``ax.im2col_names`` is the matrix of entry names,
        shape (H_out W_out, k_h k_w).

    Raises
    ------
    TypeError
        If a size is not an int or a pair of ints.
    ValueError
        If the input is larger than 6 x 6, the kernel does not fit, or
        ``window`` is outside the output grid.

    Notes
    -----
    The book draws it in :ref:`fast-im2col`.
    """
    h, w = as_pair(input_shape, "input_shape", 1)
    k_h, k_w = as_pair(kernel_size, "kernel_size", 1)
    if h > 6 or w > 6:
        raise ValueError(f"input_shape must be at most (6, 6) for this picture, got {(h, w)}")
    if k_h > h or k_w > w:
        raise ValueError(f"kernel_size {(k_h, k_w)} does not fit input_shape {(h, w)}")
    out_h, out_w = h - k_h + 1, w - k_w + 1
    wi, wj = window
    if not (0 <= wi < out_h and 0 <= wj < out_w):
        raise ValueError(f"window must lie in the {out_h} x {out_w} output grid, got {window}")
    rows, taps = out_h * out_w, k_h * k_w
    names = np.array([[f"x{i + u}{j + v}" for u in range(k_h) for v in range(k_w)]
                      for i in range(out_h) for j in range(out_w)])
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * (w + taps) + 2.6, 0.42 * max(rows, h) + 1.2))
    cw, ch = 1.0, 0.75                                  # cell width and height, data units
    top = max(rows, h) * ch
    in_window = {(wi + u, wj + v) for u in range(k_h) for v in range(k_w)}
    for r in range(h):
        for c in range(w):
            face = mpl.colors.to_rgba("tab:orange", 0.3) if (r, c) in in_window else "white"
            _cell(ax, c * cw, top - (r + 1) * ch, f"x{r}{c}", facecolor=face, gid="input",
                  width=cw, height=ch, fontsize=10)
    ax.add_patch(mpl.patches.Rectangle((wj * cw, top - (wi + k_h) * ch), k_w * cw, k_h * ch,
                                       fill=False, edgecolor="tab:orange", linewidth=2.5,
                                       gid="window"))
    ax.text(w * cw / 2, top + 0.2, f"input ({h} x {w})", ha="center", va="bottom",
            fontsize=11)
    left = (w + 2.2) * cw
    chosen = wi * out_w + wj
    for m in range(rows):
        for t in range(taps):
            face = mpl.colors.to_rgba("tab:orange", 0.3) if m == chosen else "white"
            _cell(ax, left + t * cw, top - (m + 1) * ch, names[m, t], facecolor=face,
                  gid="row" if m == chosen else "matrix", width=cw, height=ch, fontsize=10)
        ax.text(left - 0.15, top - (m + 0.5) * ch, f"({m // out_w},{m % out_w})",
                ha="right", va="center", fontsize=10, color="0.3")
    ax.text(left + taps * cw / 2, top + 0.2,
            f"im2col matrix ({rows} windows x {taps} taps)", ha="center", va="bottom",
            fontsize=11)
    ax.annotate("", xy=(left - 1.0, top - (chosen + 0.5) * ch),
                xytext=((wj + k_w) * cw + 0.05, top - (wi + k_h / 2) * ch),
                arrowprops=dict(arrowstyle="->", color="tab:orange", linewidth=1.5))
    ax.set_xlim(-0.2, left + taps * cw + 0.2)
    ax.set_ylim(-0.2, top + 0.8)
    ax.set_aspect("equal")
    ax.axis("off")
    _light_panel(ax)
    if title is not None:
        ax.set_title(title)
    ax.im2col_names = names
    return ax


def draw_memory_layouts(shape=(2, 2, 2, 3), kernel_size=(2, 2), itemsize=8, axes=None):
    """Draw an NCHW batch as the line of numbers it is in memory, and its im2col buffer.

    Top, the batch's entries in memory order, coloured by (image, channel),
    with the stride of each axis (the bytes from an entry to its neighbour
    along that axis) drawn as a bracket. Bottom, the im2col buffer of the
    first image, windows as rows, written out in memory order: each window's
    C k_h k_w entries are contiguous, and a pixel appears once per window that
    reads it (gid ``'copy'``).

    Parameters
    ----------
    shape : tuple of 4 ints
        (N, C, H, W), small (at most 48 entries).
    kernel_size : int or pair of int
        (k_h, k_w) of the convolution whose im2col buffer is drawn.
    itemsize : int
        Bytes per number (8 for float64, 4 for float32).
    axes : pair of Axes, optional
        Where to draw; a new figure with two rows is made when omitted.

    Returns
    -------
    ndarray of Axes
        The two Axes; ``axes[0].strides`` holds the four strides in bytes,
        as NumPy reports them for a C-contiguous array of this shape.

    Raises
    ------
    TypeError
        If a size is not an int.
    ValueError
        If ``shape`` is not 4 positive ints, has more than 48 entries, or the
        kernel does not fit.

    Notes
    -----
    The book draws it in :ref:`fast-windows`.
    """
    if len(shape) != 4:
        raise ValueError(f"shape must be (N, C, H, W), got {shape}")
    n, c, h, w = (as_int(v, "shape", minimum=1) for v in shape)
    k_h, k_w = as_pair(kernel_size, "kernel_size", 1)
    size = as_int(itemsize, "itemsize", minimum=1)
    if n * c * h * w > 48:
        raise ValueError(f"shape must have at most 48 entries for this picture, got {shape}")
    if k_h > h or k_w > w:
        raise ValueError(f"kernel_size {(k_h, k_w)} does not fit (H, W) = {(h, w)}")
    strides = (c * h * w * size, h * w * size, w * size, size)
    total = n * c * h * w
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(7.0, 4.6), height_ratios=[1, 1])
    axes = np.asarray(axes)
    palette = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:olive", "tab:cyan"]
    cellw = 7.0 / max(total, 24)

    def colour(img, ch):
        return mpl.colors.to_rgba(palette[(img * c + ch) % len(palette)], 0.35)

    ax = axes[0]
    for q in range(total):
        img, rest = divmod(q, c * h * w)
        ch, rest = divmod(rest, h * w)
        r, col = divmod(rest, w)
        _cell(ax, q * cellw, 0, f"{r}{col}", facecolor=colour(img, ch), gid="entry",
              width=cellw, height=0.9, fontsize=10)
    for level, (axis, stride) in enumerate(zip("NCHW", strides)):
        steps = stride // size
        if steps >= total:
            continue
        y = -0.35 - 0.55 * (3 - level)
        ax.annotate("", xy=(steps * cellw + cellw / 2, y), xytext=(cellw / 2, y),
                    arrowprops=dict(arrowstyle="->", color="0.25", linewidth=1.2))
        ax.text(steps * cellw + cellw / 2 + 0.08, y, f"{axis}: {stride} bytes",
                ha="left", va="center", fontsize=10)
    ax.text(0, 1.1, f"NCHW batch {tuple(shape)} in memory (colour: image, channel)",
            ha="left", va="bottom", fontsize=10)
    ax.set_xlim(-0.1, max(total * cellw, 7.0) + 0.1)
    ax.set_ylim(-2.6, 1.6)
    ax.axis("off")
    _light_panel(ax)
    ax.strides = strides

    ax = axes[1]
    out_h, out_w = h - k_h + 1, w - k_w + 1
    width = c * k_h * k_w
    q = 0
    for i in range(out_h):
        for j in range(out_w):
            for ch in range(c):
                for u in range(k_h):
                    for v in range(k_w):
                        x0 = (q % total) * cellw
                        y0 = -(q // total) * 1.1
                        _cell(ax, x0, y0, f"{i + u}{j + v}", facecolor=colour(0, ch),
                              gid="copy", width=cellw, height=0.9, fontsize=10)
                        q += 1
            # a thick bar after each window: its row of the matrix ends here
            x_end = (q % total) * cellw if q % total else total * cellw
            y_end = -((q - 1) // total) * 1.1
            ax.plot([x_end, x_end], [y_end - 0.05, y_end + 0.95], color="black", linewidth=2.5)
    lines = (q - 1) // total + 1
    ax.text(0, 1.1, f"im2col buffer of image 0: {out_h * out_w} windows x {width} entries, "
            "one window after another", ha="left", va="bottom", fontsize=10)
    ax.set_xlim(-0.1, max(total * cellw, 7.0) + 0.1)
    ax.set_ylim(-(lines - 1) * 1.1 - 0.3, 1.6)
    ax.axis("off")
    _light_panel(ax)
    return axes


def _break_points(line, inside=False):
    """Where a code line may break: after ', ', before an operator, or inside a string.

    Each point is (index, column after its open bracket, depth, kind, reopen):
    kind 0 for a comma, 1 to 4 for an operator (``for``/``if`` first, ``*`` last),
    5 for a space inside a string literal, which is then closed and reopened
    (``reopen`` holds its prefix and quote). Only positions inside brackets
    count, so the broken line stays valid Python by implicit continuation.
    Also returns the index where a comment starts (or None), and where the
    value of an assignment starts if that value is a tuple without brackets
    (or None). ``inside``: the line starts
    inside brackets.
    """
    import re

    indent = len(line) - len(line.lstrip())
    points, quote, comment, prefix, assigned, bare_tuple = [], None, None, "", None, None
    field = 0                          # depth of {...} inside an f-string
    stack = [indent - 1] if inside else []
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = None
                continue
            if "f" in prefix.lower() and ch in "{}":
                field += 1 if ch == "{" else -1
            elif stack and ch == " " and len(quote) == 1 and field == 0:
                points.append((i + 1, stack[-1] + 1, len(stack) + 1, 5, prefix + quote))
        elif ch == "#":
            comment = i
            break
        elif ch in "'\"":
            quote = ch * 3 if line.startswith(ch * 3, i) else ch
            prefix, field = re.search(r"[A-Za-z]*$", line[:i]).group(), 0
            i += len(quote)
            continue
        elif ch in "([{":
            stack.append(i)
        elif ch in ")]}":
            if stack:
                stack.pop()
        elif stack and ch == "," and line[i + 1:i + 2] == " ":
            points.append((i + 2, stack[-1] + 1, len(stack), 0, ""))
        elif stack and ch == " " and re.match(r" (\+|-|\*|/|@|and|or|if|else|for) ",
                                              line[i:]):
            word = line[i + 1:].split(" ", 1)[0]
            kind = 1 if word in ("for", "if", "else") else 2 if word in ("and", "or") \
                else 3 if word in "+-" else 4
            points.append((i + 1, stack[-1] + 1, len(stack), kind, ""))
        elif not stack and assigned is None and re.match(r" =[^=]", line[i:i + 3]):
            assigned = i
        elif not stack and ch == "," and assigned is not None:
            bare_tuple = assigned + 3
        i += 1
    if assigned is not None:
        # never break the target of an assignment
        points = [p for p in points if p[0] > assigned]
    return points, comment, bare_tuple


def _wrap_code_line(line, width, inside=False):
    """A code line as lines of at most ``width`` characters where brackets allow it.

    ``inside`` says that the line starts inside brackets opened on an earlier line.
    """
    if len(line) <= width:
        return [line]
    indent = line[:len(line) - len(line.lstrip())]
    stripped = line.strip()
    if stripped[:3] in ('"' * 3, "'" * 3) and stripped.endswith(stripped[:3]):
        # a one-line docstring: wrap its words, still one string
        return [indent + part for part in textwrap.wrap(stripped, width - len(indent))]
    points, comment, bare_tuple = _break_points(line, inside)
    if bare_tuple is not None and comment is None:
        # a, b = f(x), g(y): bracket the tuple so that it can break at its commas
        return _wrap_code_line(line[:bare_tuple] + "(" + line[bare_tuple:] + ")", width)
    if comment is not None:
        text = textwrap.wrap(line[comment:].lstrip("# "), width - len(indent) - 2)
        above = [indent + "# " + part for part in text]
        code = line[:comment].rstrip()
        return above + (_wrap_code_line(code, width, inside) if code.strip() else [])
    fitting = [p for p in points if p[0] < width and line[:p[0]].strip()]
    if not fitting:
        return [line]
    # the outermost bracket first; a comma, then an operator, then inside a string
    at, column, _, _, reopen = min(fitting, key=lambda p: (p[2], p[3], -p[0]))
    head, rest = line[:at], line[at:]
    if reopen:
        head, rest = head + reopen[-1], reopen + rest
    rest = rest.lstrip()
    continuation = " " * column if column + len(rest) <= width or column < width // 2 \
        else indent + " " * 8
    return [head.rstrip()] + _wrap_code_line(continuation + rest, width, inside=True)


def _line_depths(lines):
    """For each line, whether it starts inside brackets opened on an earlier line."""
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline))
    except (tokenize.TokenError, SyntaxError):
        return [False] * len(lines)
    depth, at_start = 0, {}
    for token in tokens:
        at_start.setdefault(token.start[0], depth)
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
    return [at_start.get(number, 0) > 0 for number in range(1, len(lines) + 1)]
