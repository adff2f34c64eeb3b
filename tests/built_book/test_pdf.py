"""The whole book as one PDF (`make pdf`, also part of `make book`): its text, as
pdftotext extracts it, is the book's, with typeset math.

No raw TeX may survive (a formula MathJax did not typeset would show as \\frac or $$),
every chapter's title and every figure's number must be in it, the solutions are
gathered at the end, and the page count is in a sane range. The built HTML book carries
a copy, which the introduction links.
"""

import html
import json
import os
import re
import shutil
import subprocess

import pytest
from built_html import HTML

ROOT = HTML.parents[1]
PDF = ROOT / "_build" / "pdf" / "cnnmath-book.pdf"
RAW_TEX = [r"\frac", r"\begin{", r"\end{", "$$", r"\mathbf", r"\mathrm", r"\left(",
           r"\sum_", r"\partial", r"\cdot", r"\times", r"\qquad", r"\tfrac", r"\hat{"]


def _tool(name):
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must check the PDF, but {name} is not installed "
                        f"(.ci/run installs Debian's poppler-utils)")
        pytest.skip(f"{name} is not installed: the PDF check was SKIPPED "
                    f"(apt-get install poppler-utils to run it)")
    return path


@pytest.fixture(scope="module")
def pdf():
    if not PDF.is_file():
        pytest.fail(f"{PDF} does not exist: run `make book` (or `make pdf`) first")
    return PDF


@pytest.fixture(scope="module")
def text(pdf):
    out = subprocess.run([_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out


def _flat(text):
    return re.sub(r"\s+", " ", text)


def test_page_count_and_size(pdf):
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    print(f"\n{pdf.name}: {pages} pages, {pdf.stat().st_size / 1e6:.1f} MB")
    assert 120 <= pages <= 1200
    assert pdf.stat().st_size < 60e6


def _html_texts(html_root):
    """The text of every code block of the built pages, and the text of every
    cross-reference whose title holds TeX (Sphinx writes a title's source into the link)."""
    code, refs = [], []
    for page in sorted((html_root / "book").glob("*.html")):
        source = page.read_text(encoding="utf-8")
        for block in re.findall(r"<pre>(.*?)</pre>", source, re.S):
            code.append(html.unescape(re.sub(r"<[^>]+>", "", block)))
        for ref in re.findall(r'<span class="std std-ref">(.*?)</span>', source, re.S):
            if "\\" in ref:
                refs.append(html.unescape(re.sub(r"<[^>]+>", "", ref)))
    return "\n".join(code), refs


def _raw_tex_lines(text, html_root):
    """Lines of the PDF's text with TeX in them that are not code (code may hold TeX in
    strings), split into those from a cross-reference's title and the others."""
    code, refs = _html_texts(html_root)
    in_refs, others = [], []
    for line in text.splitlines():
        stripped = line.strip()
        if not any(tex in line for tex in RAW_TEX) or stripped in code:
            continue
        tex = stripped[min(stripped.find(t) for t in RAW_TEX if t in stripped):]
        (in_refs if any(tex in _flat(ref) for ref in refs) else others).append(stripped)
    return in_refs, others


def test_no_raw_tex(text, html_root):
    _, others = _raw_tex_lines(text, html_root)
    assert not others, f"raw TeX in the PDF's text (outside code): {others[:10]}"


def test_no_raw_tex_in_cross_reference_titles(text, html_root):
    in_refs, _ = _raw_tex_lines(text, html_root)
    assert not in_refs, f"cross-references that show TeX: {in_refs[:10]}"


def chapter_titles():
    titles = []
    for notebook in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            match = re.search(r"^# (.+)$", "".join(cell["source"]), re.M)
            if cell["cell_type"] == "markdown" and match:
                titles.append(match.group(1).strip())
                break
    return titles


def test_every_chapter_title_is_in_it(text):
    titles = chapter_titles()
    assert len(titles) >= 11
    flat = _flat(text)
    missing = [title for title in titles if _flat(title) not in flat]
    assert not missing, f"chapter titles missing from the PDF: {missing}"


def test_every_figure_number_is_in_it(text, html_root):
    numbers = set()
    for page in sorted((html_root / "book").glob("*.html")):
        numbers |= set(re.findall(r'<span class="caption-number">(Fig\. [\d.]+)\s*</span>',
                                  page.read_text(encoding="utf-8")))
    assert len(numbers) >= 10
    flat = _flat(text)
    missing = sorted(n for n in numbers if n.rstrip(".") not in flat)
    assert not missing, f"figure numbers missing from the PDF: {missing}"


def test_solutions_are_gathered_at_the_end(text):
    flat = _flat(text)
    assert "Solutions to the exercises" in flat
    end = flat.rindex("Solutions to the exercises")
    before, after = flat[:end], flat[end:]
    assert len(re.findall(r"Solution to Exercise \d+\.\d+", after)) >= 30
    assert not re.search(r"Solution to Exercise \d+\.\d+", before)


def test_the_built_book_carries_it(pdf, html_root):
    copy = html_root / pdf.name
    assert copy.is_file() and copy.read_bytes() == pdf.read_bytes()
    intro = (html_root / "book" / "intro.html").read_text(encoding="utf-8")
    assert f'href="../{pdf.name}"' in intro
