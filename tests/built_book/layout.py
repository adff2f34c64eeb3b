"""Blocks of a built page that are wider than the text column, measured in Chromium.

A block overflows when its content is wider than its own box (it scrolls or is cut off:
scrollWidth > clientWidth) or when its box reaches past the right edge of the article
column. Blocks: display equations, code cells' source, printed output, tables, figures.

    python tests/built_book/layout.py [WIDTH]     # a table of every page's overflows
"""

import sys

from built_html import CHROMIUM_FLAGS, HTML, WAIT_FOR_MATHJAX, book_pages, redirect_target

BLOCKS = {
    "equation": "mjx-container[display='true']",
    "code": ".cell_input pre, div.highlight pre",
    "output": ".cell_output pre, .cell_output .output",
    "table": "table",
    "figure": "img, svg.figure",
}

MEASURE = """
(blocks) => {
    const column = document.querySelector('article.bd-article') || document.querySelector('main');
    const edge = column.getBoundingClientRect().right;
    const found = [];
    for (const [kind, selector] of Object.entries(blocks)) {
        for (const el of column.querySelectorAll(selector)) {
            const box = el.getBoundingClientRect();
            if (box.width === 0) continue;                  // hidden (a collapsed cell)
            const inner = el.scrollWidth - el.clientWidth;
            const past = box.right - edge;
            if (inner > 1 || past > 1) {
                found.push({kind, text: (el.textContent || el.getAttribute('alt') || '')
                                            .trim().slice(0, 60),
                            by: Math.round(Math.max(inner, past))});
            }
        }
    }
    return found;
}
"""

def overflows(browser, page_path, width, dark=False):
    """The blocks of one page wider than the column at ``width`` CSS pixels."""
    context = browser.new_context(offline=True, viewport={"width": width, "height": 900},
                                  color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.goto(page_path.as_uri(), wait_until="load")
    page.evaluate(WAIT_FOR_MATHJAX)
    found = page.evaluate(MEASURE, BLOCKS)
    context.close()
    return found


def pages():
    return [p for p in book_pages() if redirect_target(p) is None]


def main(width=1280):
    import shutil

    from playwright.sync_api import sync_playwright

    total = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=CHROMIUM_FLAGS)
        for path in pages():
            found = overflows(browser, path, width)
            total += len(found)
            kinds = {}
            for block in found:
                kinds[block["kind"]] = kinds.get(block["kind"], 0) + 1
            print(f"{str(path.relative_to(HTML)):45} {len(found):4d}  {kinds}")
        browser.close()
    print(f"total blocks wider than the column at {width} px: {total}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1280)
