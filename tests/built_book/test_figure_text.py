"""The text of every figure is at least 10 CSS px on the page at 1280 px.

A figure's text is drawn at ``pt * dpi / 72`` pixels of the PNG (dpi from the PNG's own
pHYs chunk, which matplotlib writes), and the browser scales the PNG by its displayed
width over its natural width. The smallest text is taken as the smallest font size of
``cnnmath.plotting.BOOK_STYLE``, or a smaller explicit ``fontsize=``/``labelsize=`` in the
cell that drew the figure or in a function of ``cnnmath.plotting`` that the cell calls
(and the plotting functions that one calls). A figure too wide for its font (shrunk a
lot to fit the column) or drawn with small explicit text fails, named by page, image and
size.
"""

import ast
import inspect
import re
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib import font_manager
from PIL import Image

from built_html import HTML
from cnnmath import plotting
from cnnmath.plotting import BOOK_STYLE
from layout import pages

MIN_TEXT_PX = 10
FONT_KEYS = ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
             "ytick.labelsize", "legend.fontsize", "legend.title_fontsize", "figure.titlesize")
EXPLICIT = re.compile(r"\b(?:fontsize|labelsize|titlesize)\s*=\s*(\d+(?:\.\d+)?)\b")
PAGES = pages()


def smallest_style_pt(style):
    """The smallest font size, in points, that a style gives any text."""
    base = style.get("font.size", mpl.rcParamsDefault["font.size"])
    sizes = []
    for key in FONT_KEYS:
        size = style.get(key, mpl.rcParamsDefault[key])
        if size is None:                                     # legend title: as the legend
            size = style.get("legend.fontsize", base)
        if isinstance(size, str):                            # "medium", "large", ...
            size = base * font_manager.font_scalings.get(size, 1.0)
        sizes.append(float(size))
    return min(sizes)


def text_px(points, dpi, natural, shown):
    """CSS pixels of text of ``points`` in an image of ``dpi`` shown ``shown/natural``."""
    return points * dpi / 72 * shown / natural


def plotting_sizes(module=plotting):
    """For each function of ``module``, the explicit font sizes it or its callees use."""
    source = inspect.getsource(module)
    functions = {node.name: node for node in ast.parse(source).body
                 if isinstance(node, ast.FunctionDef)}
    own = {name: [float(size) for size in
                  EXPLICIT.findall(ast.get_source_segment(source, node))]
           for name, node in functions.items()}
    calls = {name: {call.func.id for call in ast.walk(node)
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id in functions}
             for name, node in functions.items()}
    sizes = {}
    for name in functions:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(calls[current])
        sizes[name] = [size for callee in seen for size in own[callee]]
    return sizes


PLOTTING_SIZES = plotting_sizes()


def explicit_sizes(cell_source):
    """The font sizes written in a cell, and those of the plotting functions it calls."""
    sizes = [float(size) for size in EXPLICIT.findall(cell_source)]
    for name, used in PLOTTING_SIZES.items():
        if re.search(rf"\b{name}\(", cell_source):
            sizes += used
    return sizes


def smallest_text(figure, dpi, style=BOOK_STYLE):
    """The smallest text of one measured figure in CSS px, and the point size it uses."""
    points = min([smallest_style_pt(style)] + explicit_sizes(figure["source"]))
    return text_px(points, dpi, figure["natural"], figure["shown"]), points


def png_dpi(page_path, src):
    path = (Path(page_path).parent / src).resolve()
    if path.suffix.lower() != ".png":
        return None                                          # SVG text scales with it
    with Image.open(path) as image:
        return float(image.info.get("dpi", (BOOK_STYLE["figure.dpi"],))[0])


def test_style_text_is_readable_in_a_figure_of_column_width():
    # 12 pt at 100 dpi is 16.7 px; shrunk from 11 in (1100 px) to the 672 px column: 10.2
    assert smallest_style_pt(BOOK_STYLE) >= 12
    assert text_px(12, 100, 1100, 672) >= MIN_TEXT_PX


def test_detector_flags_small_text():
    wide = {"natural": 1128, "shown": 672, "source": "plt.subplots(figsize=(11.3, 2))"}
    assert smallest_text(wide, 100, {"font.size": 10})[0] < MIN_TEXT_PX  # 8.3 px
    small_font = {"natural": 500, "shown": 500, "source": "ax.text(0, 0, 's', fontsize=6)"}
    px, points = smallest_text(small_font, 100)
    assert points == 6 and px < MIN_TEXT_PX
    fine = {"natural": 600, "shown": 600, "source": "kernel_size=3, size=2"}
    through_library = {"natural": 600, "shown": 600, "source": "plotting.show_grid(x)"}
    assert smallest_text(through_library, 100)[1] == min(PLOTTING_SIZES["show_grid"] + [12])
    assert smallest_text(fine, 100) == (pytest.approx(16.67, abs=0.01), 12.0)


@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_figure_text_is_at_least_10_px(html_root, measured, page_path):
    small = []
    for figure in measured(page_path)["figures"]:
        dpi = png_dpi(page_path, figure["src"])
        if dpi is None or not figure["natural"] or not figure["shown"]:
            continue
        px, points = smallest_text(figure, dpi)
        if px < MIN_TEXT_PX - 0.05:
            small.append(f"  {figure['src'].rsplit('/', 1)[-1][:16]}: {points:g} pt at "
                         f"{dpi:.0f} dpi, {figure['natural']} px shown at "
                         f"{figure['shown']:.0f} px -> {px:.1f} px")
    assert not small, (f"{page_path.relative_to(HTML)}: figure text smaller than "
                       f"{MIN_TEXT_PX} CSS px at 1280 px\n" + "\n".join(small))
