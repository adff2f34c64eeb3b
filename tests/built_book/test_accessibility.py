"""axe-core, the engine of Lighthouse's accessibility audit, on every page, light and dark.

Each page of the built book is opened offline in headless Chromium, once in the theme's
light mode and once in its dark mode (pydata-sphinx-theme reads the reader's choice from
localStorage ``mode`` and shows it as ``<html data-theme=...>``), after MathJax has
typeset. axe-core (pinned in tests/built_book/package.json, installed by `make browser`
with `npm ci`) is injected and run with its default rules; any violation of impact
"serious" or "critical" fails, reported as rule, page, mode and the first elements hit.
"""

import os
from pathlib import Path

import pytest

from built_html import HTML, book_pages, redirect_target

from tools.chromium import WAIT_FOR_MATHJAX

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
MODES = ("light", "dark")

SET_MODE = """
mode => {
    try { localStorage.setItem('mode', mode); localStorage.setItem('theme', mode); } catch (e) {}
}
"""

SETTLE = """
async () => {
    await document.fonts.ready;
    return document.documentElement.dataset.theme;
}
"""

RUN_AXE = """
async impacts => {
    const results = await axe.run(document, {resultTypes: ['violations']});
    return results.violations.filter(v => impacts.includes(v.impact)).map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        count: v.nodes.length,
        targets: v.nodes.slice(0, 3).map(n => n.target.join(' ').slice(0, 80)),
    }));
}
"""


@pytest.fixture(scope="session")
def axe_path():
    if not AXE.is_file():
        message = (f"{AXE} is missing: `make browser` installs axe-core with "
                   "`npm ci` in tests/built_book (needs node and npm)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message + "; the accessibility check was SKIPPED")
    return AXE


def audit(browser, page_path, mode, axe_path):
    """The serious and critical axe-core violations of one page in one colour mode."""
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900},
                                  color_scheme=mode)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        "file://") else route.abort())
    context.add_init_script(f"({SET_MODE})({mode!r})")
    page = context.new_page()
    page.goto(page_path.as_uri(), wait_until="load")
    page.evaluate(WAIT_FOR_MATHJAX)
    theme = page.evaluate(SETTLE)
    page.add_script_tag(path=str(axe_path))
    violations = page.evaluate(RUN_AXE, list(FAILING_IMPACTS))
    context.close()
    return theme, violations


def describe(violations):
    return "\n".join(f"  {v['impact']:8} {v['id']} ({v['count']}x: {v['help']}): "
                     + "; ".join(v["targets"]) for v in violations)


PAGES = [p for p in book_pages() if redirect_target(p) is None]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_no_serious_accessibility_violations(browser, html_root, axe_path, page_path, mode):
    theme, violations = audit(browser, page_path, mode, axe_path)
    assert theme == mode, f"{page_path.name}: asked for the {mode} mode, the page shows {theme!r}"
    assert not violations, (f"{page_path.name} in {mode} mode: {len(violations)} serious or "
                            f"critical axe-core rule(s) violated\n{describe(violations)}")
