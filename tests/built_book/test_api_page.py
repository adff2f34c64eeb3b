"""Every name of the public API has an entry in the built API reference, and every
entry points back to the section of the book that derives it."""

import re

import pytest

import cnnmath


def documented(page):
    """The ids of the objects the page documents (``cnnmath.conv.conv2d``, ...)."""
    text = page.read_text(encoding="utf-8")
    return set(re.findall(r'<dt class="sig sig-object py" id="([^"]+)"', text))


def public_api():
    """(qualified name as documented, object) for the top level and for cnnmath.nn."""
    names = [(f"{getattr(cnnmath, n).__module__}.{n}", getattr(cnnmath, n))
             for n in cnnmath.__all__]
    names += [(f"cnnmath.nn.{n}", getattr(cnnmath.nn, n)) for n in cnnmath.nn.__all__]
    return names


@pytest.fixture(scope="module")
def api_page(html_root):
    return html_root / "book" / "api.html"


def test_every_public_name_is_in_the_api_reference(api_page):
    ids = documented(api_page)
    missing = [name for name, _ in public_api() if name not in ids]
    assert not missing, f"the API reference has no entry for {missing}"


def test_every_documented_function_links_to_where_the_book_derives_it(api_page):
    text = api_page.read_text(encoding="utf-8")
    # one entry: from its <dt id=...> to the next entry's <dt
    entries = re.split(r'(?=<dt class="sig sig-object py" id=")', text)[1:]
    unlinked = []
    for entry in entries:
        name = re.match(r'<dt class="sig sig-object py" id="([^"]+)"', entry).group(1)
        if name.count(".") > 2:        # a method or attribute of a documented class
            continue
        if not re.search(r'href="[^"]*(0\d|1\d|appendix)-[^"]*\.html#', entry):
            unlinked.append(name)
    assert not unlinked, f"API entries without a link to a chapter section: {unlinked}"
