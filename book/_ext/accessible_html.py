"""Sphinx extension: repairs to the HTML and search that other extensions write, for readers.

The first two are found by the accessibility check of the built book (axe-core, in
tests/built_book/test_accessibility.py):

- myst-nb's collapsed code cells open with ``<summary aria-label="Toggle hidden
  content">Show code cell source</summary>``; the label hides the visible text from the
  accessible name (label-content-name-mismatch). The summary is written here without it,
  so a screen reader announces what the reader sees.
- docutils marks each bibliography entry with the DPUB role ``doc-biblioentry``, which
  DPUB-ARIA 1.1 deprecates in favour of ``listitem``; inside the entry list's
  ``role="list"`` the deprecated role leaves the entries' links as direct, disallowed
  children of the list (aria-required-children).

The third is found by reading the search page: Sphinx's search (7.x) lists a hit on an
index entry under its page's title alone, so a search for "stride" showed "Glossary"
twice, once for the term's definition (glossary.html#term-stride) and once for the page's
text, two links with one name and two targets. The copied ``searchtools.js`` is patched
so that such a hit reads "Glossary > stride", as Sphinx already does for section titles.
Sphinx 7.4 also drops the index entries of every page it does not re-read from the search
index of an incremental build (they are not restored from the previous index), so that
the glossary's terms vanish from the search after the first rebuild; the pages that have
index entries (the glossary's terms, the API's functions) are therefore always re-read.
"""

from html import escape
from pathlib import Path

from myst_nb.sphinx_ import HideCodeCellNode


def visit_hide_cell_input(self, node):
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hide_cell_input(self, node):
    self.body.append("</details>\n")


def bibliography_roles(app, pagename, templatename, context, doctree):
    if "body" in context and 'role="doc-biblioentry"' in context["body"]:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


# Sphinx 7.4's searchtools.js: an index entry's result takes its page's title.
INDEX_RESULT = """          const result = [
            docNames[file],
            titles[file],
            id ? "#" + id : "","""
INDEX_RESULT_NAMED = """          const result = [
            docNames[file],
            id ? `${titles[file]} > ${entry}` : titles[file],
            id ? "#" + id : "","""


def name_index_results(app, exception):
    """Give a search hit on an index entry (a glossary term) the entry's name."""
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir) / "_static" / "searchtools.js"
    text = script.read_text(encoding="utf-8")
    if INDEX_RESULT_NAMED in text:
        return
    if INDEX_RESULT not in text:
        raise RuntimeError(f"{script}: Sphinx's search changed; review name_index_results")
    script.write_text(text.replace(INDEX_RESULT, INDEX_RESULT_NAMED), encoding="utf-8")


def reread_indexed_pages(app, env, added, changed, removed):
    """The pages with index entries, so that their entries stay in the search index."""
    entries = env.domaindata.get("index", {}).get("entries", {})
    return [doc for doc, found in entries.items()
            if found and doc in env.found_docs and doc not in added | changed]


def setup(app):
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True,
                 html=(visit_hide_cell_input, depart_hide_cell_input))
    app.connect("html-page-context", bibliography_roles)
    app.connect("build-finished", name_index_results)
    app.connect("env-get-outdated", reread_indexed_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
