"""Sphinx extension: two repairs to the HTML that other extensions write, for screen readers.

Both are found by the accessibility check of the built book (axe-core, in
tests/built_book/test_accessibility.py):

- myst-nb's collapsed code cells open with ``<summary aria-label="Toggle hidden
  content">Show code cell source</summary>``; the label hides the visible text from the
  accessible name (label-content-name-mismatch). The summary is written here without it,
  so a screen reader announces what the reader sees.
- docutils marks each bibliography entry with the DPUB role ``doc-biblioentry``, which
  DPUB-ARIA 1.1 deprecates in favour of ``listitem``; inside the entry list's
  ``role="list"`` the deprecated role leaves the entries' links as direct, disallowed
  children of the list (aria-required-children).
"""

from html import escape

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


def setup(app):
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True,
                 html=(visit_hide_cell_input, depart_hide_cell_input))
    app.connect("html-page-context", bibliography_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
