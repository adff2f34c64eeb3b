"""No code cell of the built book shows a bare ``True`` or ``False`` as its output.

A lone boolean tells the reader nothing they can check, and it reads as a verdict even
when it is not one: chapter 4 once printed ``False`` right under "SymPy confirms the
closed form", because ``sp.Eq`` of a symbol and a matrix evaluates to ``False``. A cell
that checks something asserts it; a cell that reports something says what it reports.
"""

import re

import pytest
from bs4 import BeautifulSoup

from built_html import HTML, book_pages, redirect_target

# What a lone boolean looks like when a cell displays it or prints it.
BARE_BOOLEANS = {"True", "False", "np.True_", "np.False_", "array(True)", "array(False)"}

PAGES = [p for p in book_pages() if redirect_target(p) is None]
# SymPy's true and false display as LaTeX, \[\displaystyle \text{False}\]: read the word.
LATEX_WRAPPING = re.compile(r"\\\[|\\\]|\\\(|\\\)|\$|\\displaystyle")
LATEX_WORD = re.compile(r"\\(?:text|mathrm|mathtt)\{(\w+)\}")


def displayed_text(output):
    """The text an output shows, with SymPy's LaTeX wrapping of a plain word removed."""
    text = LATEX_WORD.sub(r"\1", output.get_text())
    return LATEX_WRAPPING.sub("", text).strip()


def bare_boolean_outputs(html):
    """(first line of the cell's code, the output) for each output that is a lone boolean."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for cell in soup.select("div.cell"):
        code = cell.select_one("div.cell_input pre")
        code_lines = code.get_text().strip().splitlines() if code else []
        first_line = code_lines[0] if code_lines else ""
        for output in cell.select("div.cell_output div.output"):
            text = displayed_text(output)
            if text in BARE_BOOLEANS:
                found.append((first_line[:70], text))
    return found


def test_detector_sees_a_bare_boolean():
    """The check itself can fail: a cell whose whole output is False is found."""
    html = ('<div class="cell docutils container"><div class="cell_input docutils container">'
            '<pre>sp.Eq(sp.Symbol("J"), M)</pre></div><div class="cell_output docutils '
            'container"><div class="output text_plain highlight-myst-ansi notranslate">'
            '<div class="highlight"><pre><span></span>False\n</pre></div></div></div></div>')
    assert bare_boolean_outputs(html) == [('sp.Eq(sp.Symbol("J"), M)', "False")]
    latex = html.replace("output text_plain", "output text_latex math").replace(
        "<span></span>False\n", "\\[\\displaystyle \\text{False}\\]")
    assert bare_boolean_outputs(latex) == [('sp.Eq(sp.Symbol("J"), M)', "False")]


@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_no_cell_shows_a_bare_boolean(html_root, page_path):
    found = bare_boolean_outputs(page_path.read_text(encoding="utf-8"))
    listing = "\n".join(f"  {out} from the cell starting {code!r}" for code, out in found)
    assert not found, (f"{page_path.name}: cells whose output is a bare boolean (assert the "
                       f"check, or print a sentence):\n{listing}")
