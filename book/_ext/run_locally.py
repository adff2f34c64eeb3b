"""Sphinx extension: a "run this chapter yourself" note at the top of every chapter.

The note is written once, here, and placed under the title of every page built from
a notebook, naming that page's notebook and linking the student kit (the zip that
tools/kit.py writes into the built book's root, `make book`), so it cannot drift
between chapters.
"""

from html import escape

KIT = "cnnmath-student-kit.zip"

NOTE = """
<div class="admonition tip run-locally">
<p class="admonition-title">Run this chapter yourself</p>
<p>This page is the executed notebook <code>{notebook}</code>. To run it on your own
machine, download the <a href="{kit}">student kit</a> (one zip: every chapter's notebook,
the workbook with a cell for each exercise's answer, the <code>cnnmath</code> library and
the pinned requirements) and follow the two steps of its README: create a virtual
environment and install the requirements, then open JupyterLab. In a clone of the
book's repository, <code>make lab</code> does the same. The notebook is seeded and needs
no network, so your numbers will match these.</p>
</div>
"""


def add_note(app, pagename, templatename, context, doctree):
    source = app.env.doc2path(pagename, base=False) if pagename in app.env.all_docs else ""
    if not str(source).endswith(".ipynb") or "body" not in context:
        return
    body = context["body"]
    end_of_title = body.find("</h1>")
    if end_of_title == -1:
        return
    cut = end_of_title + len("</h1>")
    context["body"] = body[:cut] + NOTE.format(
        notebook=escape(str(source)), kit=escape(context["pathto"](KIT, 1))) + body[cut:]


def share_html_handlers(app):
    """Let the single-page build (tools/pdf.py prints it as the book's PDF) render what
    the HTML build renders.

    Sphinx looks up how to render a node by the builder's name and falls back to its
    format ("html") only when nothing at all is registered under the name. sphinx-exercise
    registers its nodes under "singlehtml" too, so the fallback never happens there, and
    the nodes that other extensions register for "html" only (myst-nb's folded code
    cells) have no renderer. Here the single-page builder gets every "html" handler it
    lacks, and MathJax is loaded whatever the first page holds (Sphinx decides by the
    root page, the introduction, which has no formula).
    """
    if app.builder.name == "singlehtml":
        app.set_html_assets_policy("always")
    handlers = app.registry.translation_handlers
    name = app.builder.name
    if name != "html" and app.builder.format == "html" and name in handlers:
        for node, pair in handlers.get("html", {}).items():
            handlers[name].setdefault(node, pair)


def setup(app):
    app.connect("html-page-context", add_note)
    app.connect("builder-inited", share_html_handlers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
