"""Sphinx extension: a "run this chapter yourself" note at the top of every chapter.

The note is written once, here, and placed under the title of every page built from
a notebook, naming that page's notebook, so it cannot drift between chapters.
"""

from html import escape

NOTE = """
<div class="admonition tip run-locally">
<p class="admonition-title">Run this chapter yourself</p>
<p>This page is the executed notebook <code>{notebook}</code>. Download it with the
download button at the top of the page, or, in a clone of the book's repository, run
<code>make lab</code>: it installs the pinned packages into <code>.venv</code> and opens
JupyterLab on the <code>book/</code> folder. The notebook is seeded and needs no network,
so your numbers will match these.</p>
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
    context["body"] = body[:cut] + NOTE.format(notebook=escape(str(source))) + body[cut:]


def setup(app):
    app.connect("html-page-context", add_note)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
