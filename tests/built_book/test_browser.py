"""Open every page of the built book in headless Chromium with the network off.

A reader offline must see typeset formulas (MathJax is bundled with the book), every
figure, and no errors. Any request that leaves the machine is refused and reported.
"""

import pytest

from built_html import HTML, book_pages, redirect_target

from tools.chromium import WAIT_FOR_MATHJAX

INSPECT_PAGE = """
() => {
    const maths = Array.from(document.querySelectorAll('.math'));
    const prose = document.querySelector('main') || document.body;
    const clone = prose.cloneNode(true);
    clone.querySelectorAll('pre, code, script, style, mjx-container').forEach(e => e.remove());
    return {
        math: maths.length,
        untypeset: maths.filter(e => !e.querySelector('mjx-container'))
            .map(e => e.textContent.slice(0, 60)),
        errors: Array.from(document.querySelectorAll('mjx-merror'))
            .map(e => e.textContent.slice(0, 60)),
        // a TeX delimiter left in the prose, with the text around its first occurrence
        raw_tex: ['\\\\(', '\\\\[', '$'].filter(d => clone.textContent.includes(d)).map(d => {
            const i = clone.textContent.indexOf(d);
            return clone.textContent.slice(Math.max(0, i - 40), i + 40);
        }),
        broken_images: Array.from(document.images)
            .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
        images: document.images.length,
    };
}
"""


PAGES = book_pages()


@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_page_renders_offline(browser, html_root, page_path):
    target = redirect_target(page_path)
    if target is not None:  # a redirect stub: its target is checked as a page of its own
        assert target in PAGES, f"{page_path.name} redirects to a missing page {target}"
        return
    context = browser.new_context(offline=True)
    remote_requests, console_errors = [], []

    def refuse_remote(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            remote_requests.append(route.request.url)
            route.abort()

    context.route("**/*", refuse_remote)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    page.goto(page_path.as_uri(), wait_until="load")
    has_mathjax = page.evaluate(WAIT_FOR_MATHJAX)
    report = page.evaluate(INSPECT_PAGE)
    context.close()

    name = page_path.name
    if report["math"]:
        assert has_mathjax, f"{name}: has math but MathJax did not load"
    assert not report["untypeset"], f"{name}: math left untypeset: {report['untypeset']}"
    assert not report["errors"], f"{name}: MathJax errors: {report['errors']}"
    assert not report["raw_tex"], f"{name}: raw TeX delimiters in the text: {report['raw_tex']}"
    assert not report["broken_images"], (f"{name}: images that did not load: "
                                         f"{report['broken_images']}")
    assert not console_errors, f"{name}: console errors: {console_errors}"
    assert not remote_requests, f"{name}: requests to the network: {remote_requests}"


@pytest.mark.parametrize("query, chapter", [
    ("cross-correlation", "02-convolution.html"),
    ("log-sum-exp", "04-activations.html"),
    ("im2col", "06-backprop-convolution.html"),
    ("momentum", "08-network.html"),
])
def test_search_finds_chapter_content(browser, html_root, query, chapter):
    """The book's search (Sphinx's, running offline in the page) finds words of the chapters."""
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto((html_root / "search.html").as_uri() + f"?q={query}", wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0",
                           timeout=20_000)
    found = page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.href)")
    context.close()
    assert any(href.split("#")[0].endswith(chapter) for href in found), f"{query!r}: {found}"


def test_search_names_each_result_once(browser, html_root):
    """A hit on a glossary term is named after the term, not a second "Glossary" (Sphinx
    titles index-entry hits with the page's title; book/_ext/accessible_html.py)."""
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto((html_root / "search.html").as_uri() + "?q=stride", wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 2",
                           timeout=20_000)
    page.wait_for_timeout(500)                      # the results arrive one by one
    found = page.eval_on_selector_all(
        "#search-results li > a", "links => links.map(a => [a.textContent, a.href])")
    context.close()
    names = [name for name, _ in found]
    assert len(names) == len(set(names)), f"one name for two results: {found}"
    assert "Glossary > stride" in names, f"the glossary's definition is not found: {found}"
