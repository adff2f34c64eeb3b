"""Every figure a chapter draws is a numbered figure with a caption and alt text.

A cell that draws a figure carries, in its metadata, ``mystnb.figure`` (``name`` and a
one-sentence ``caption``) and ``mystnb.image.alt`` (what the picture shows, for a reader
who cannot see it). myst-nb then wraps the drawn image in a ``<figure>``, Sphinx numbers
it (Fig. 2.3) and the text can refer to it with ``{numref}``. Here the built pages are
read back: an image drawn by a cell that is not inside a numbered, captioned figure, or
whose alt text is missing or only a file name, fails; so does a figure pasted with
``{glue:figure}`` without a name (number), a caption or an ``:alt:``.
"""

import pytest
from bs4 import BeautifulSoup

from built_html import HTML, book_pages, redirect_target

PAGES = [p for p in book_pages() if redirect_target(p) is None]
MIN_ALT_WORDS = 6


def figure_problems(html):
    """(image source, what is wrong) for each cell-drawn image that is not a proper figure."""
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    # images that cells draw, and figures pasted with {glue:figure}
    images = soup.select("div.cell_output img") + [
        image for image in soup.select("figure img") if not image.find_parent("div", "cell_output")]
    for image in images:
        source = image.get("src", "")
        alt = image.get("alt", "").strip()
        figure = image.find_parent("figure")
        caption = figure.find("figcaption") if figure else None
        number = caption.select_one(".caption-number") if caption else None
        if figure is None or caption is None:
            problems.append((source, "not inside a captioned figure"))
        elif number is None:
            problems.append((source, "the figure has no number (no name?)"))
        if len(alt.split()) < MIN_ALT_WORDS or alt.endswith((".png", ".svg", ".jpg")):
            problems.append((source, f"alt text does not describe the figure: {alt!r}"))
    return problems


def test_detector_sees_a_bare_image():
    html = ('<div class="cell_output docutils container"><img alt="_build/a.png" '
            'src="../_images/a.png"/></div>')
    problems = figure_problems(html)
    assert [what for _, what in problems][0] == "not inside a captioned figure"
    assert len(problems) == 2


@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_figures_are_numbered_captioned_and_described(html_root, page_path):
    problems = figure_problems(page_path.read_text(encoding="utf-8"))
    listing = "\n".join(f"  {source}: {what}" for source, what in problems)
    assert not problems, (f"{page_path.name}: figures without number, caption or alt "
                          f"text:\n{listing}")
