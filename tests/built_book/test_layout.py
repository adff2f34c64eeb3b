"""Nothing on a page is wider than the text column at 1280 px, and no page scrolls
sideways on a phone (390 px).

Each page is opened once in headless Chromium at 1280 px with every collapsed thing open
(hidden cells, dropdown hints and solutions, ``<details>``) and MathJax done; every display
equation, code block, printed output, table and figure is measured (layout.py, which
``python tests/built_book/layout.py [WIDTH]`` also runs as a report). A block fails when
its content is wider than its box (it scrolls or is cut: scrollWidth > clientWidth) or its
box passes the right edge of the article column. Then the same page is narrowed to 390 px:
blocks may scroll inside themselves there, but the document may not be wider than the
viewport.
"""

import pytest

from built_html import HTML
from layout import NARROW, WIDE, describe, measure, new_page, pages

PAGES = pages()


def page_id(path):
    return str(path.relative_to(HTML))


@pytest.mark.parametrize("page_path", PAGES, ids=page_id)
def test_every_block_fits_the_column_at_1280(html_root, measured, page_path):
    blocks = measured(page_path)["blocks"]
    assert not blocks, describe(page_id(page_path), blocks, WIDE)


@pytest.mark.parametrize("page_path", PAGES, ids=page_id)
def test_no_page_scrolls_sideways_at_390(html_root, measured, page_path):
    sideways = measured(page_path)["sideways"]
    culprits = "\n".join(f"  {c['tag']} (right edge at {c['right']} px): {c['text']}"
                         for c in sideways["culprits"])
    assert sideways["scroll"] <= sideways["width"], (
        f"{page_id(page_path)}: at {NARROW} px the page is {sideways['scroll']} px wide and "
        f"scrolls sideways; outermost blocks past the edge:\n{culprits}")


@pytest.mark.parametrize("page_path", PAGES, ids=page_id)
def test_no_formula_is_cut_off_at_390(html_root, measured, page_path):
    cut = measured(page_path)["cut"]
    lines = [f"  inline formula past the column's edge by {f['by']} px: {f['text']}"
             for f in cut["inline"]]
    lines += [f"  number {f['number']} beside an equation that scrolls: {f['text']}"
              for f in cut["numbers"]]
    assert not lines, (f"{page_id(page_path)}: at {NARROW} px a reader cannot see these "
                       "formulas whole:\n" + "\n".join(lines))


# A page shaped like the book's (article column, a code cell and its output, a table, a
# collapsed solution), once with a block too wide and once with it fixed.
PAGE = """<!DOCTYPE html><html><head><style>
  body {{ margin: 0; font: 16px monospace; }}
  article.bd-article {{ max-width: 600px; padding: 0 20px; }}
  pre {{ overflow: auto; margin: 0; }}
  .wide {{ width: 900px; }}
  mjx-container {{ white-space: nowrap; }}
  div.math {{ display: flex; flex-direction: {number_goes}; }}
  div.math mjx-container {{ display: block; overflow-x: auto; flex-grow: 1; }}
</style></head><body><main><article class="bd-article">
  <div class="cell"><div class="cell_input"><div class="highlight"><pre>{code}</pre></div>
  </div><div class="cell_output"><div class="output"><pre>{output}</pre></div></div></div>
  <table class="{table}"><tr><td>a table</td></tr></table>
  <details><summary>Solution</summary><pre>{hidden}</pre></details>
  <div class="{phone}">a box of fixed width</div>
  <p>An inline formula <mjx-container class="MathJax">{inline}</mjx-container> in prose.</p>
  <div class="math"><span class="eqno">(1.1)</span>
    <mjx-container class="MathJax" display="true">{display}</mjx-container></div>
</article></main></body></html>"""
LONG = "x = " + " + ".join(["value"] * 20)


def render(tmp_path, name, **parts):
    path = tmp_path / f"{name}.html"
    fields = dict(code="x = 1", output="1", table="", hidden="y = 2", phone="",
                  inline="x", display="y = 1", number_goes="column-reverse")
    path.write_text(PAGE.format(**(fields | parts)), encoding="utf-8")
    return path.as_uri()


def test_detector_sees_wide_blocks_and_passes_them_fixed(browser, tmp_path):
    page = new_page(browser, WIDE)
    try:
        wide = measure(page, render(tmp_path, "wide", code=LONG, output=LONG, table="wide",
                                    hidden=LONG, phone="wide", inline=LONG, display=LONG,
                                    number_goes="row-reverse"))
        number_below = measure(page, render(tmp_path, "below", display=LONG))
        fixed = measure(page, render(tmp_path, "fixed"))
    finally:
        page.context.close()
    kinds = sorted(block["kind"] for block in wide["blocks"])
    assert kinds == ["code", "code", "equation", "output", "table"], wide["blocks"]
    # (one of the two codes was in the closed <details>)
    code = next(b for b in wide["blocks"] if b["kind"] == "code")
    assert code["text"].startswith("x = value + value") and code["by"] > 100
    table = next(b for b in wide["blocks"] if b["kind"] == "table")
    assert 280 <= table["by"] <= 320                      # 900 px in a 600 px column
    assert "table" in describe("wide.html", wide["blocks"]) and "by" in describe("w", [code])
    assert wide["sideways"]["scroll"] > NARROW
    assert fixed["blocks"] == [] and fixed["sideways"]["scroll"] <= NARROW
    # at 390 px: the long inline formula is cut, and so is the long equation with its
    # number beside it; with the number below, the equation scrolls and nothing is cut
    assert [f["text"][:17] for f in wide["cut"]["inline"]] == ["x = value + value"]
    assert [f["number"] for f in wide["cut"]["numbers"]] == ["(1.1)"]
    assert number_below["cut"] == {"inline": [], "numbers": []}
    assert fixed["cut"] == {"inline": [], "numbers": []}
