"""Headless Chromium as the project drives it: the PDF (tools/pdf.py) and the checks of
the built book (tests/built_book) launch it with the same flags and wait for a page's
formulas the same way."""

# The flags of a browser that starts offline: without the background-networking ones,
# Chromium keeps trying hosts that this machine's closed network refuses.
FLAGS = [
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
