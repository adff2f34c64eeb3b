"""Fixtures for the checks of the built HTML book (run after `make book`)."""

import os
import shutil

import pytest
from built_html import HTML

from tools import chromium


@pytest.fixture(scope="session")
def html_root():
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML} has no built book: run `make book` first")
    return HTML


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser check, but chromium is not installed "
                        "(.ci/run installs Debian's chromium package)")
        pytest.skip("chromium is not installed: the offline browser check of the built "
                    "book was SKIPPED (apt-get install chromium to run it)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Chromium for every browser check of the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=chromium.FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def measured(browser):
    """``measured(path)``: the page opened once at 1280 px with everything expanded and
    measured (tests/built_book/layout.py), shared by the layout and figure-text checks."""
    import layout

    page = layout.new_page(browser, layout.WIDE)
    cache = {}

    def measure(path):
        if path not in cache:
            cache[path] = layout.measure(page, path.as_uri())
        return cache[path]

    yield measure
    page.context.close()
