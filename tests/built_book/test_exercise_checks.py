"""Every official solution passes its own check, as the built book shows it.

In the built HTML, a solution's code cell that calls ``check("<label>", answer)`` (its
last line, by the book's convention) must display "✓", and no output of any solution may
display "✗". Every label that cnnmath.exercises has a check for must be called by some
solution, so no check goes untried by the book itself.
"""

import re

import pytest
from bs4 import BeautifulSoup
from built_html import HTML

from cnnmath.exercises import labels

CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([^"']+)["']""")
CHAPTERS = sorted((HTML / "book").glob("[0-9][0-9]-*.html")) if HTML.is_dir() else []


def solution_cells():
    """(page, solution title, code text, output text) for every code cell of a solution."""
    found = []
    for page in CHAPTERS:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for solution in soup.select("div.solution"):
            title = solution.select_one(".admonition-title")
            title = title.get_text(" ", strip=True) if title else solution.get("id", "")
            for cell in solution.select("div.cell"):
                code = "\n".join(pre.get_text() for pre in cell.select(".cell_input pre"))
                output = "\n".join(out.get_text() for out in cell.select(".cell_output"))
                found.append((page.name, title, code, output))
    return found


@pytest.fixture(scope="module")
def cells(html_root):
    found = solution_cells()
    assert found, "no solution with code in the built chapters"
    return found


def test_every_check_in_a_solution_shows_a_tick(cells):
    failures = []
    for page, title, code, output in cells:
        if CHECK_CALL.search(code) and "✓" not in output:
            failures.append(f"{page}, {title}: no ✓ in {output.strip()[:200]!r}")
        if "✗" in output:
            failures.append(f"{page}, {title}: a failed check: {output.strip()[:200]!r}")
    assert not failures, "\n".join(failures)


def test_every_check_is_called_by_a_solution(cells):
    called = {label for _, _, code, _ in cells for label in CHECK_CALL.findall(code)}
    assert called, "no solution of the built book calls check(...): is the pattern stale?"
    unknown = called - set(labels())
    missing = set(labels()) - called
    assert not unknown, f"solutions call checks that do not exist: {sorted(unknown)}"
    assert not missing, f"checks that no solution in the book calls: {sorted(missing)}"
