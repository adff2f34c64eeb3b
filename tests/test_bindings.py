"""Every numbered equation on the page is bound to a check that executes it.

An equation ``$$ ... $$ (label)`` in a chapter's markdown is bound when one of these holds:

* a code cell of the same notebook carries the tag ``label`` and contains an ``assert``:
  it executes the displayed formula literally (loops or einsum written from its indices,
  padding and ranges included) and checks it against the implementation;
* it is shown with ``{glue:math}`` and ``:label: label``, and the glued expression comes
  from a code cell that asserts it (the typeset formula is then the checked one);
* it only names a quantity (a definition such as dW = dL/dW), and the line just above its
  ``$$`` says so: ``% definition: what it names``. Definitions are counted apart.

nbval executes the notebooks, so a binding cell whose assertion fails fails the build.

``tests/unbound_equations.txt`` lists the equations not yet bound, as known debt: the test
fails for an unbound equation that is not listed, and for a listed one that is now bound
(so the list only shrinks). The goal is an empty list.
"""

import re
from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("*.ipynb"))
KNOWN_UNBOUND = Path(__file__).with_name("unbound_equations.txt")

DISPLAY = re.compile(r"(?P<before>[^\n]*)\n\$\$(?P<body>.*?)\$\$ *\((?P<label>[^)\s]+)\)", re.S)
GLUE_MATH = re.compile(r"```\{glue:math\}\s*(?P<key>\S+)\s*\n(?P<options>(?::[^\n]*\n)*)")
GLUE_CALL = re.compile(r"""glue\(\s*["'](?P<key>[^"']+)["']""")


def equations(notebook):
    """(label, kind) for each numbered equation: kind is 'display', 'definition' or 'glue'."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        text = "\n" + cell.source
        for match in DISPLAY.finditer(text):
            definition = match.group("before").strip().startswith("% definition:")
            found.append((match.group("label"), "definition" if definition else "display"))
        for match in GLUE_MATH.finditer(text + "\n"):
            label = re.search(r":label:\s*(\S+)", match.group("options"))
            if label:
                found.append((label.group(1), f"glue:{match.group('key')}"))
    return found


def binding_cells(notebook):
    """label -> True when a code cell tagged with it asserts something."""
    bound = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for tag in cell.metadata.get("tags", []):
                bound[tag] = bound.get(tag, False) or "assert" in cell.source
    return bound


def asserted_glue_keys(notebook):
    return {match.group("key") for cell in notebook.cells if cell.cell_type == "code"
            and "assert" in cell.source for match in GLUE_CALL.finditer(cell.source)}


def unbound(notebook):
    tagged, glued = binding_cells(notebook), asserted_glue_keys(notebook)
    missing = []
    for label, kind in equations(notebook):
        if kind == "definition":
            continue
        if kind.startswith("glue:"):
            if kind[len("glue:"):] not in glued:
                missing.append(f"{label} (glued from {kind[5:]!r}, which no asserting cell glues)")
        elif not tagged.get(label):
            missing.append(label)
    return missing


def known_unbound(path):
    lines = KNOWN_UNBOUND.read_text(encoding="utf-8").splitlines()
    return sorted(line.split()[1] for line in lines
                  if line.strip() and not line.startswith("#") and line.split()[0] == path.stem)


def test_the_parser_finds_the_books_equations():
    """The pattern must see the book's equations, or the test below would pass vacuously."""
    total = sum(len(equations(nbformat.read(path, as_version=4))) for path in CHAPTERS)
    assert total >= 69


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_numbered_equation_is_bound_or_a_definition(path):
    notebook = nbformat.read(path, as_version=4)
    found = equations(notebook)
    missing = unbound(notebook)
    definitions = sum(kind == "definition" for _, kind in found)
    print(f"{path.stem}: {len(found) - definitions - len(missing)} bound of "
          f"{len(found) - definitions}, {definitions} definitions")
    new = [label for label in missing if label.split()[0] not in known_unbound(path)]
    assert not new, f"{path.name}: numbered equations without a binding: {new}"
    fixed = sorted(set(known_unbound(path)) - {label.split()[0] for label in missing})
    assert not fixed, f"{path.name}: now bound, remove from {KNOWN_UNBOUND.name}: {fixed}"
