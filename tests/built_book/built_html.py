"""Where the built book is, and which of its files are pages a reader opens. How the
browser is launched lives in tools/chromium.py, shared with the PDF."""

import re
from pathlib import Path

HTML = Path(__file__).resolve().parents[2] / "_build" / "html"


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
