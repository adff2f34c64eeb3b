"""The formula ledger (book/data/ledger.yml) cannot drift from the book.

Every entry names a section of the book and a check that executes the formula. These
tests make sure that each of them exists: labels in the chapters' markdown, test
functions in tests/, labelled cells in the notebooks, and, for every statement the book
finds wrong or imprecise, a cell of the errata appendix that demonstrates it with an
assert. They also keep the ledger itself tidy: every source has entries, no claim is
listed twice, every verdict is one of the four the appendix explains.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
LEDGER = yaml.safe_load((BOOK / "data" / "ledger.yml").read_text(encoding="utf-8"))
ENTRIES = LEDGER["entries"]
APPENDIX = BOOK / "appendix-errata.ipynb"
VERDICTS = {"correct", "wrong", "imprecise", "not in text"}
LABEL = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$", re.MULTILINE)
MARKER = re.compile(r"^# ledger: (.+)$")


def cells(notebook):
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


def source_of(cell):
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


def labels_in(path):
    if path.suffix == ".md":
        return set(LABEL.findall(path.read_text(encoding="utf-8")))
    return {label for cell in cells(path) if cell["cell_type"] == "markdown"
            for label in LABEL.findall(source_of(cell))}


BOOK_LABELS = {label for path in sorted(BOOK.glob("*.ipynb")) + sorted(BOOK.glob("*.md"))
               for label in labels_in(path)}


def appendix_markers():
    """ledger id -> source of the appendix code cell that demonstrates it."""
    found = {}
    for cell in cells(APPENDIX):
        text = source_of(cell)
        match = MARKER.match(text.split("\n", 1)[0]) if cell["cell_type"] == "code" else None
        if match:
            for entry_id in match.group(1).split(","):
                found[entry_id.strip()] = text
    return found


def test_entries_have_every_field_and_unique_ids():
    ids = [entry["id"] for entry in ENTRIES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for entry in ENTRIES:
        assert set(entry) == {"id", "source", "claim", "verdict", "section", "check"}, entry["id"]
        assert entry["source"] in LEDGER["sources"], entry["id"]
        assert entry["verdict"] in VERDICTS, entry["id"]
        assert entry["id"].startswith(entry["source"] + "-"), entry["id"]


def test_every_source_has_entries():
    for key, source in LEDGER["sources"].items():
        mine = [entry for entry in ENTRIES if entry["source"] == key]
        assert len(mine) >= 10, f"{source['title']} has only {len(mine)} entries"
    assert len(LEDGER["sources"]) == 5


def test_no_claim_appears_twice():
    seen = {}
    for entry in ENTRIES:
        key = " ".join(entry["claim"].lower().split())
        assert key not in seen, f"{entry['id']} repeats {seen[key]}"
        seen[key] = entry["id"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["id"])
def test_section_exists(entry):
    section = entry["section"]
    if section.startswith("doc:"):
        name = section[len("doc:"):]
        assert (BOOK / f"{name}.ipynb").is_file() or (BOOK / f"{name}.md").is_file(), section
    else:
        assert section in BOOK_LABELS, f"{entry['id']}: no label ({section})= in book/"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["id"])
def test_check_exists_and_asserts(entry):
    check = entry["check"]
    if check.startswith("tests/"):
        path, _, name = check.partition("::")
        text = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {re.escape(name)}\(", text, re.MULTILINE), check
    elif check == "appendix":
        markers = appendix_markers()
        assert entry["id"] in markers, f"no appendix cell starts with '# ledger: {entry['id']}'"
        assert "assert" in markers[entry["id"]], f"the cell for {entry['id']} asserts nothing"
        assert f"errata-{entry['id']}" in labels_in(APPENDIX), f"no (errata-{entry['id']})= label"
    else:
        notebook, _, label = check.partition("#")
        checked = code_under_label(ROOT / notebook, label)
        assert any("assert" in code for code in checked), f"{check}: no assert under the label"


def code_under_label(notebook, label):
    """The code cells that follow the markdown cell carrying ``(label)=``, up to the next label."""
    inside, found = False, []
    for cell in cells(notebook):
        if cell["cell_type"] == "markdown" and LABEL.search(source_of(cell)):
            if inside:
                break
            inside = label in LABEL.findall(source_of(cell))
        elif inside and cell["cell_type"] == "code":
            found.append(source_of(cell))
    assert inside or found, f"{notebook.name} has no label ({label})="
    return found


def test_every_error_is_demonstrated_in_the_appendix():
    for entry in ENTRIES:
        if entry["verdict"] in {"wrong", "imprecise"}:
            assert entry["check"] == "appendix", f"{entry['id']} needs an executed demonstration"


def test_every_appendix_marker_is_in_the_ledger():
    ids = {entry["id"] for entry in ENTRIES}
    orphans = set(appendix_markers()) - ids
    assert not orphans, f"appendix cells name ids the ledger lacks: {sorted(orphans)}"
