"""Every internal link and anchor of the built book resolves; no page refers to the network
for anything it loads."""

from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from built_html import HTML, book_pages


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.loads = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") in ("stylesheet", "preload"):
            self.loads.append(attrs["href"])


def _parse(path):
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


PAGES = book_pages()


def test_pages_were_found(html_root):
    assert len(PAGES) >= 3


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_internal_links_and_anchors_resolve(page):
    parsed = {page: _parse(page)}
    broken = []
    for href in parsed[page].links:
        url = urlsplit(href)
        if url.scheme or url.netloc or href.startswith("mailto:"):
            continue
        target = (page.parent / unquote(url.path)).resolve() if url.path else page
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{href} (no file {target})")
            continue
        if url.fragment and target.suffix == ".html":
            if target not in parsed:
                parsed[target] = _parse(target)
            if unquote(url.fragment) not in parsed[target].ids:
                broken.append(f"{href} (no anchor #{url.fragment})")
    assert not broken, f"{page.name}: broken links: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_page_loads_nothing_from_the_network(page):
    remote = [src for src in _parse(page).loads if urlsplit(src).netloc]
    assert not remote, f"{page.name} loads from the network: {remote}"


NOTEBOOKS = sorted((HTML.parents[1] / "book").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chapter_page_says_how_to_run_it(html_root, notebook):
    page = html_root / "book" / f"{notebook.stem}.html"
    text = page.read_text(encoding="utf-8")
    assert "Run this chapter yourself" in text and f"book/{notebook.name}" in text
