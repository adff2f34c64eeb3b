"""Where the built book is, which of its files are pages a reader opens, and how the
browser checks open them."""

import re
from pathlib import Path

HTML = Path(__file__).resolve().parents[2] / "_build" / "html"

# Headless Chromium as every browser check launches it.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# Resolves once MathJax has typeset the page; true when the page loads MathJax at all.
WAIT_FOR_MATHJAX = """
async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
        await MathJax.startup.promise;
        return true;
    }
    return false;
}
"""


def book_pages():
    """Every HTML page of the book (not Sphinx's own assets), sorted."""
    if not HTML.is_dir():
        return []
    return sorted(p for p in HTML.rglob("*.html")
                  if not {"_static", "_sources", "_images"} & set(p.relative_to(HTML).parts))


def redirect_target(page):
    """The page a meta-refresh stub (such as the root index.html) sends the reader to."""
    text = page.read_text(encoding="utf-8")
    match = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', text)
    return (page.parent / match.group(1)).resolve() if match else None
