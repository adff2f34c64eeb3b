"""Blocks of a built page that are wider than the text column, measured in Chromium.

The measurement the layout test (test_layout.py) and this command share. A page is opened
as a curious reader leaves it: every collapsed thing open (hidden cells, dropdown hints and
solutions, every ``<details>``), MathJax done, fonts loaded. Then every block is measured:
display equations, code, printed output, tables and figures. A block overflows when its
content is wider than its own box (it scrolls or is cut off: scrollWidth > clientWidth) or
when its box reaches past the right edge of the article column's content. A block that
holds another overflowing block is not counted again (a table inside a cell's output).

At a phone's width blocks may scroll inside themselves, but the page as a whole must not
scroll sideways: the document is no wider than the viewport.

    PYTHONPATH=. python tests/built_book/layout.py [WIDTH]  # the overflows at WIDTH (1280)
    PYTHONPATH=. python tests/built_book/layout.py 390      # and each page's sideways scroll
"""

import sys

from built_html import HTML, book_pages, redirect_target

from tools import chromium

WIDE, NARROW = 1280, 390

# Kinds in the order a block is classified: a <pre> that prints output is output, not code.
BLOCKS = {
    "equation": "mjx-container[display='true']",
    "table": "table",
    "figure": "img, svg.figure",
    "output": ".cell_output pre, .cell_output .output",
    "code": "pre",
}

# Opens every collapsed thing on the page and waits until the page has settled.
OPEN_ALL = """
async () => {
    const style = document.createElement('style');
    style.textContent = '*, *::before, *::after { transition: none !important; '
                        + 'animation: none !important; }';
    document.head.appendChild(style);
    for (const d of document.querySelectorAll('details')) d.open = true;
    // sphinx-togglebutton's dropdown admonitions (exercise hints, solutions)
    for (const e of document.querySelectorAll('.toggle-hidden')) {
        e.classList.remove('toggle-hidden');
    }
    for (const b of document.querySelectorAll('.toggle-button-hidden')) {
        b.classList.remove('toggle-button-hidden');
    }
    await document.fonts.ready;
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}
"""

MEASURE = """
(blocks) => {
    const column = document.querySelector('article.bd-article') || document.querySelector('main')
                   || document.body;
    const style = getComputedStyle(column);
    const edge = column.getBoundingClientRect().right - parseFloat(style.paddingRight)
                 - parseFloat(style.borderRightWidth);
    const tex = new Map();
    if (window.MathJax && MathJax.startup && MathJax.startup.document) {
        for (const item of MathJax.startup.document.math) {
            if (item.typesetRoot) tex.set(item.typesetRoot, item.math);
        }
    }
    const label = (el, kind) => {
        if (kind === 'equation') {
            const number = (el.closest('div.math')?.querySelector('.eqno')?.textContent || '')
                           .replace(/#\\s*$/, '');
            return (number.trim() + ' ' + (tex.get(el) || '')).trim();
        }
        if (kind === 'figure') return el.getAttribute('alt') || el.getAttribute('src') || '';
        return el.textContent;
    };
    const seen = new Set();
    const found = [];
    for (const [kind, selector] of Object.entries(blocks)) {
        for (const el of column.querySelectorAll(selector)) {
            if (seen.has(el)) continue;
            seen.add(el);
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) continue;   // not displayed at all
            const inner = el.scrollWidth - el.clientWidth;
            const past = box.right - edge;
            if (inner > 1 || past > 1) {
                found.push({el, kind, by: Math.round(Math.max(inner, past)),
                            text: label(el, kind).replace(/\\s+/g, ' ').trim().slice(0, 70)});
            }
        }
    }
    // a block that holds another overflowing block is the same problem, counted once
    return found.filter(f => !found.some(g => g !== f && f.el.contains(g.el)))
                .map(({kind, by, text}) => ({kind, by, text}));
}
"""

# How much wider than the viewport the document is, and the outermost elements that make it
# so (those not inside a box that scrolls or clips them).
SIDEWAYS = """
() => {
    const width = document.documentElement.clientWidth;
    const scroll = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
    const culprits = [];
    if (scroll > width) {
        const clips = el => {
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') return true;
            }
            return false;
        };
        for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.right <= width + 1 || clips(el)) continue;
            if (culprits.some(c => c.el.contains(el))) continue;
            culprits.push({el, right: Math.round(box.right)});
            if (culprits.length === 5) break;
        }
    }
    return {width, scroll, culprits: culprits.map(({el, right}) => (
        {tag: el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                                          ? '.' + el.className.trim().split(/\\s+/).join('.')
                                          : ''),
         right, text: (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 50)}))};
}
"""


# At a phone's width, the formulas a reader cannot see whole: an inline formula that
# passes the column's edge (it cannot scroll, so its end is cut off), and an equation
# number set beside a display equation that scrolls (the number sits on top of the cut,
# and reads as part of the formula).
CUT_FORMULAS = """
() => {
    const column = document.querySelector('article.bd-article') || document.querySelector('main')
                   || document.body;
    const style = getComputedStyle(column);
    const edge = column.getBoundingClientRect().right - parseFloat(style.paddingRight);
    const tex = new Map();
    if (window.MathJax && MathJax.startup && MathJax.startup.document) {
        for (const item of MathJax.startup.document.math) {
            if (item.typesetRoot) tex.set(item.typesetRoot, item.math);
        }
    }
    const text = el => (tex.get(el) || el.textContent).replace(/\\s+/g, ' ').trim().slice(0, 70);
    const inline = [];
    for (const el of column.querySelectorAll('mjx-container:not([display="true"])')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || el.closest('div.math')) continue;
        let scrolls = false;      // inside a box that scrolls (a table's cell, an output)
        for (let a = el.parentElement; a && a !== column; a = a.parentElement) {
            if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) scrolls = true;
        }
        if (!scrolls && box.right > edge + 2) {
            inline.push({by: Math.round(box.right - edge), text: text(el)});
        }
    }
    const numbers = [];
    for (const math of column.querySelectorAll('div.math')) {
        const number = math.querySelector('.eqno');
        const formula = math.querySelector('mjx-container');
        if (!number || !formula || formula.scrollWidth <= formula.clientWidth + 1) continue;
        const a = number.getBoundingClientRect(), b = formula.getBoundingClientRect();
        if (a.top < b.bottom - 1 && a.bottom > b.top + 1) {
            numbers.push({number: number.textContent.replace(/#\\s*$/, '').trim(),
                          text: text(formula)});
        }
    }
    return {inline, numbers};
}
"""

# Every image a cell drew (or a figure pasted with glue): its size in the PNG and on the
# page, and the source of the cell that drew it (for explicit font sizes).
FIGURES = """
() => Array.from(document.querySelectorAll(
        'article div.cell_output img, article figure img')).map(img => ({
    src: img.getAttribute('src'),
    natural: img.naturalWidth,
    shown: img.getBoundingClientRect().width,
    source: img.closest('div.cell')?.querySelector('.cell_input pre')?.textContent || '',
}))
"""


def pages():
    """The pages a reader opens (not redirect stubs), in order."""
    return [p for p in book_pages() if redirect_target(p) is None]


def new_page(browser, width=WIDE):
    """A page in a fresh offline context; reuse it for every page of the book."""
    context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(("file:", "data:")) else route.abort())
    return context.new_page()


def measure(page, url, narrow=NARROW):
    """Open ``url`` in ``page`` at its current width with everything expanded, and measure.

    Returns a dict: ``blocks``, the blocks wider than the column at that width;
    ``figures``, each drawn image's natural and displayed size and the source of the cell
    that drew it; ``sideways``, the document's width against the viewport's once the page
    is narrowed to ``narrow`` px, and ``cut``, the formulas cut off there (CUT_FORMULAS);
    then it is widened back (``narrow=None`` skips both).
    """
    width = page.viewport_size["width"]
    page.goto(url, wait_until="load")
    page.evaluate(chromium.WAIT_FOR_MATHJAX)
    page.evaluate(OPEN_ALL)
    result = {"blocks": page.evaluate(MEASURE, BLOCKS), "figures": page.evaluate(FIGURES),
              "sideways": None, "cut": None}
    if narrow:
        page.set_viewport_size({"width": narrow, "height": 900})
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        result["sideways"] = page.evaluate(SIDEWAYS)
        result["cut"] = page.evaluate(CUT_FORMULAS)
        page.set_viewport_size({"width": width, "height": 900})
    return result


def describe(name, blocks, width=WIDE):
    """The failure message: page, then each block's kind, overflow and first characters."""
    lines = [f"{name}: {len(blocks)} block(s) wider than the text column at {width} px"]
    lines += [f"  {b['kind']:8} by {b['by']:4d} px  {b['text']}" for b in blocks]
    return "\n".join(lines)


def main(width=WIDE):
    import shutil

    from playwright.sync_api import sync_playwright

    total = sideways_pages = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=chromium.FLAGS)
        page = new_page(browser, width)
        for path in pages():
            result = measure(page, path.as_uri(), narrow=NARROW if width == NARROW else None)
            blocks, sideways = result["blocks"], result["sideways"]
            total += len(blocks)
            kinds = {}
            for block in blocks:
                kinds[block["kind"]] = kinds.get(block["kind"], 0) + 1
            extra = ""
            if sideways is not None:
                wide = sideways["scroll"] > sideways["width"]
                sideways_pages += wide
                extra = f"  page {sideways['scroll']} px wide" if wide else "  page fits"
                cut = result["cut"]
                extra += (f", {len(cut['inline'])} inline formulas cut, "
                          f"{len(cut['numbers'])} numbers beside a cut equation")
            print(f"{str(path.relative_to(HTML)):45} {len(blocks):4d}  {kinds}{extra}")
            if "-v" in sys.argv:
                for block in blocks:
                    print(f"      {block['kind']:8} by {block['by']:4d} px  {block['text']}")
                for formula in (result["cut"] or {}).get("inline", []):
                    print(f"      inline   by {formula['by']:4d} px  {formula['text']}")
                for formula in (result["cut"] or {}).get("numbers", []):
                    print(f"      number {formula['number']} beside  {formula['text']}")
        browser.close()
    print(f"total blocks wider than the column at {width} px: {total}")
    if width == NARROW:
        print(f"pages that scroll sideways as a whole at {NARROW} px: {sideways_pages}")


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    main(int(numbers[0]) if numbers else WIDE)
