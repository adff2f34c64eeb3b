"""The whole book as one PDF, printed by headless Chromium from Sphinx's single-page HTML.

    python -m tools.pdf [--skip-build]

1. ``jupyter-book build . --builder singlehtml`` writes the book as one HTML page into
   ``_build/singlehtml``. It reads the executed notebooks from the same jupyter-cache
   as ``make book`` (``_build/.jupyter_cache``): nothing is executed a second time. The
   cache's records are compared before and after, and a new record (an execution) is an
   error.
2. Chromium (through Playwright, offline) opens that page, waits until MathJax has
   typeset every formula, gathers the exercises' solutions into a last part, "Solutions
   to the exercises" (each titled with its exercise's number and linking back to it),
   opens the hints, hides the navigation and the collapsed plotting code, and prints it
   to ``_build/pdf/cnnmath-book.pdf``: A4, a page per chapter, page numbers, and a PDF
   outline of the headings.
3. The PDF is copied into ``_build/html``, where the introduction links it.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tools import chromium

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
SINGLE = BUILD / "singlehtml"
CACHE = BUILD / ".jupyter_cache"
NAME = "cnnmath-book.pdf"
OUTLINE = os.environ.get("CNNMATH_PDF_OUTLINE", "1") == "1"
PDF = BUILD / "pdf" / NAME

# A second MathJax pass once the first is done: it typesets any formula the first one left
# (and costs nothing when there is none); a formula left as TeX would print as raw TeX.
TYPESET_REST = "async () => { if (MathJax.typesetPromise) await MathJax.typesetPromise(); }"

WAIT_FOR_IMAGES = """
async () => {
    await Promise.all(Array.from(document.images).map((img) => img.complete ? null
        : new Promise((done) => { img.onload = img.onerror = done; })));
    await document.fonts.ready;
}
"""

# Runs in the page before printing; returns what it did, for the log.
PREPARE = r"""
(meta) => {
    const article = document.querySelector("article.bd-article");
    // Links between parts of the single page point at its own file: make them anchors.
    document.querySelectorAll("a[href]").forEach((a) => {
        const href = a.getAttribute("href");
        const hash = href.indexOf("#");
        if (hash > 0 && !/^[a-z]+:/.test(href) && href.slice(0, hash).endsWith(".html")) {
            a.setAttribute("href", href.slice(hash));
        }
    });
    // Each document of the book starts with <span id="document-book/...">; its title is
    // the first <h2> after it (the single page nests every document under the intro).
    const titles = [];
    let pending = null;
    for (const node of article.querySelectorAll("span[id^='document-'], h2")) {
        if (node.tagName === "SPAN") { pending = node; continue; }
        if (pending) { node.classList.add("pdf-doc-title"); titles.push(node); pending = null; }
    }
    const cleanTitle = (h) => h.textContent.replace(/#\s*$/, "").trim();
    const documentOf = (node) => {
        let found = null;
        for (const title of titles) {
            if (title.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) {
                found = title;
            }
        }
        return found;
    };
    // Hints open, toggle buttons gone.
    document.querySelectorAll(".toggle-hidden").forEach((n) => n.classList.remove("toggle-hidden"));
    document.querySelectorAll("button.toggle-button").forEach((n) => n.remove());
    // Solutions gathered at the end, by chapter, each linked from its exercise.
    const solutions = Array.from(document.querySelectorAll("div.solution"));
    const part = document.createElement("section");
    part.id = "pdf-solutions";
    const heading = document.createElement("h2");
    heading.className = "pdf-doc-title";
    heading.textContent = "Solutions to the exercises";
    part.appendChild(heading);
    let current = null;
    for (const solution of solutions) {
        const chapter = documentOf(solution);
        if (chapter !== current) {
            current = chapter;
            const title = document.createElement("h3");
            title.textContent = chapter ? cleanTitle(chapter) : "";
            part.appendChild(title);
        }
        solution.classList.remove("dropdown", "toggle");
        const backlink = solution.querySelector(".admonition-title a");
        const target = backlink && document.getElementById(decodeURIComponent(
            (backlink.getAttribute("href") || "").split("#")[1] || ""));
        if (target && solution.id) {
            const note = document.createElement("p");
            note.className = "pdf-solution-link";
            const link = document.createElement("a");
            link.href = "#" + solution.id;
            link.textContent = "Solution: in the last part, Solutions to the exercises.";
            note.appendChild(link);
            target.appendChild(note);
        }
        part.appendChild(solution);
    }
    if (solutions.length) { article.appendChild(part); titles.push(heading); }
    // A title page and a contents page in front.
    const front = document.createElement("section");
    front.className = "pdf-front";
    const cover = document.createElement("div");
    cover.className = "pdf-cover";
    for (const key of ["title", "author", "build"]) {
        const line = document.createElement("p");
        line.className = "pdf-" + key;
        line.textContent = meta[key];
        cover.appendChild(line);
    }
    front.appendChild(cover);
    const contents = document.createElement("nav");
    contents.className = "pdf-contents";
    const contentsTitle = document.createElement("p");
    contentsTitle.className = "pdf-contents-title";
    contentsTitle.textContent = "Contents";
    contents.appendChild(contentsTitle);
    const list = document.createElement("ul");
    for (const title of titles) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = "#" + (title.parentElement.id || title.id);
        link.textContent = cleanTitle(title);
        item.appendChild(link);
        list.appendChild(item);
    }
    contents.appendChild(list);
    front.appendChild(contents);
    article.insertBefore(front, article.firstChild);
    return {documents: titles.length, solutions: solutions.length};
}
"""

PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html { font-size: 13px; }
body { background: white !important; }
.bd-header, .bd-header-article, .header-article, .bd-sidebar-primary,
.bd-sidebar-secondary, .bd-footer, .bd-footer-article, .bd-footer-content, .prev-next-area,
.footer, .run-locally, .skip-link, #pst-skip-link, a.headerlink, button.copybtn,
.toggle-button, .search-button, .theme-switch-button, details.hide > summary,
.bd-search, .pst-scrollable-table-container::-webkit-scrollbar, #pst-back-to-top,
.sidebar-toggle, .primary-toggle, .secondary-toggle {
    display: none !important;
}
#jb-print-docs-body { display: none !important; }
body, .bd-page-width, .bd-main, .bd-content, .bd-article-container, .bd-container,
.bd-container__inner, article.bd-article { display: block !important;
    max-width: none !important; min-width: 0 !important; width: auto !important;
    padding: 0 !important; margin: 0 !important; overflow: visible !important; }
.pdf-doc-title { break-before: page; }
.pdf-front > .pdf-cover { height: 240mm; display: flex; flex-direction: column;
    justify-content: center; text-align: center; }
.pdf-title { font-size: 2.4rem; font-weight: bold; line-height: 1.2; }
.pdf-author { font-size: 1.3rem; margin-top: 2rem; }
.pdf-build { font-size: 0.9rem; color: #555; margin-top: 4rem; }
.pdf-contents { break-before: page; }
.pdf-contents-title { font-size: 1.6rem; font-weight: bold; }
.pdf-contents ul { list-style: none; padding-left: 0; }
.pdf-contents li { margin: 0.35rem 0; font-size: 1.1rem; }
.pdf-front + section > h1 { break-before: page; }
.pdf-solution-link { font-size: 0.9rem; font-style: italic; margin-top: 0.4rem; }
pre { white-space: pre-wrap !important; overflow: visible !important; max-height: none !important; }
div.highlight, .cell_output, .output { overflow: visible !important; max-height: none !important; }
figure, img, table, .math, mjx-container[display="true"], .admonition-title,
div.cell { break-inside: avoid; }
h1, h2, h3, h4, .admonition-title, figcaption { break-after: avoid; }
img { max-width: 100% !important; height: auto; }
a { color: inherit !important; text-decoration: none !important; }
details.hide:not([open]) { display: none !important; }
"""


def cache_records():
    """(pk, hashkey, created) of every notebook the jupyter-cache holds."""
    from jupyter_cache import get_cache

    if not CACHE.is_dir():
        return set()
    return {(r.pk, r.hashkey, str(r.created)) for r in get_cache(CACHE).list_cache_records()}


def build_singlehtml():
    """Build _build/singlehtml from the cached executions; fail if anything executes."""
    before = cache_records()
    if not before:
        raise SystemExit(f"{CACHE} is empty: run `make book` first, which executes the "
                         f"notebooks once; the PDF is printed from those executions")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    start = time.perf_counter()
    subprocess.run([str(jupyter_book), "build", str(ROOT), "--builder", "singlehtml",
                    "-W", "-n", "--keep-going", "-q"], check=True, cwd=ROOT)
    after = cache_records()
    if after != before:
        raise SystemExit(f"building the single page executed notebooks again "
                         f"({len(after - before)} new cache records): the PDF must come "
                         f"from the executions of `make book`")
    print(f"single-page HTML in {time.perf_counter() - start:.0f} s, from the "
          f"{len(before)} cached executions (no notebook executed)")


def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        raise SystemExit("chromium is not installed (apt-get install chromium): the PDF "
                         "is printed by headless Chromium")
    return path


def print_pdf(out=PDF):
    """Print _build/singlehtml/index.html to ``out`` with Chromium; returns ``out``."""
    from playwright.sync_api import sync_playwright

    index = SINGLE / "index.html"
    page = index
    text = index.read_text(encoding="utf-8")
    if 'http-equiv="Refresh"' in text:                # the root may only redirect
        page = SINGLE / text.split("url=")[1].split('"')[0]
    # The single page is written as book/intro.html, but its links to _static/ and
    # _images/ are relative to the output's root: it is opened from a copy there.
    target = SINGLE / "cnnmath-book.html"
    shutil.copy2(page, target)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    meta = {"title": "The Mathematics of Convolutional Networks, Executed",
            "author": "The cnnmath developers",
            "build": f"Built from commit {commit or 'unknown'} on "
                     f"{time.strftime('%Y-%m-%d', time.gmtime())}. Every output in this "
                     f"book was computed when it was built."}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(),
                                             args=chromium.FLAGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.route("**/*", lambda route: route.continue_()
                   if route.request.url.startswith("file:") else route.abort())
        page.goto(target.as_uri(), wait_until="load", timeout=120_000)
        if not page.evaluate(chromium.WAIT_FOR_MATHJAX):
            raise SystemExit("the single page does not load MathJax")
        page.evaluate(TYPESET_REST)
        done = page.evaluate(PREPARE, meta)
        prepared = time.perf_counter() - start
        page.add_style_tag(content=PRINT_CSS)
        page.emulate_media(media="print")
        page.evaluate(WAIT_FOR_IMAGES)
        typeset = time.perf_counter() - start
        footer = ("<div style='font-size:8px;width:100%;text-align:center;color:#555'>"
                  "<span class='pageNumber'></span></div>")
        page.pdf(path=str(out), format="A4", print_background=True,
                 outline=OUTLINE, tagged=OUTLINE, display_header_footer=True,
                 header_template="<span></span>", footer_template=footer,
                 margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
        browser.close()
    print(f"printed {out} in {time.perf_counter() - start:.0f} s ({typeset:.0f} s to load "
          f"and typeset the page, {prepared:.0f} s with the solutions gathered): "
          f"{done['documents']} parts, {done['solutions']} solutions gathered at the end, "
          f"{out.stat().st_size / 1e6:.1f} MB")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true",
                        help="print the existing _build/singlehtml without rebuilding it")
    parser.add_argument("--copy-to", default=str(BUILD / "html"),
                        help="folder of the built HTML book, which links the PDF")
    args = parser.parse_args(argv)
    if not args.skip_build:
        build_singlehtml()
    print_pdf(PDF)
    if args.copy_to and Path(args.copy_to).is_dir():
        shutil.copy2(PDF, Path(args.copy_to) / NAME)
    return 0


if __name__ == "__main__":
    sys.exit(main())
