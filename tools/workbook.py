"""Write every chapter with its solutions removed: the workbook a reader works in.

    python -m tools.workbook [--out workbook] [notebooks ...]

For each chapter (by default every ``book/NN-*.ipynb``) the workbook copy keeps the prose,
the code, the exercises and their hints, drops everything from a ``{solution-start}`` to
its ``{solution-end}`` (also a whole ``{solution}`` directive), and after each exercise
whose label has a check in :mod:`cnnmath.exercises` inserts a code cell for the answer::

    answer = ...  # your answer
    check("conv-ex-stride-gaps", answer)

Markers may share a markdown cell with other text (an exercise, a heading): the cell is
cut at the marker's fence, and only the part outside the solution is kept. Outputs are
cleared. The copies go to ``workbook/`` (git-ignored), together with ``book/data``, which
some chapters read.
"""

import argparse
import copy
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"

# The opening line of a fenced block: ``` or ~~~ (MyST code fences and directives) or :::
# (colon fences), three or more, then the info string.
_OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w-]+)\}\s*(?P<argument>.*)$")
_LABEL = re.compile(r"^:label:\s*(?P<label>\S+)\s*$")

CHECK_CELL = 'answer = ...  # your answer\ncheck("{label}", answer)'
IMPORT_LINE = "from cnnmath.exercises import check"
NOTE = ("> **Workbook.** This copy of the chapter has its solutions removed. After each "
        "exercise that has a check there is a cell for your answer: replace the `...` with "
        "your answer and run the cell; `check` says whether it is right and, if not, gives "
        "a hint. The chapter with its solutions is {name}.")


def blocks(text):
    """Cut markdown text into top-level pieces: ("text", s), or (directive name, s, info)
    for each fenced block, s being the block's source including its fences.

    A block closes at the first line of the same fence character at least as long as the
    opening fence, with nothing after it, as in MyST. Nested fences of another character
    (a ``:::{hint}`` inside a backtick ``{exercise}``) stay inside their block.
    """
    lines = text.splitlines(keepends=True)
    pieces, plain, i = [], [], 0
    while i < len(lines):
        match = _OPEN.match(lines[i].rstrip("\n"))
        if not match:
            plain.append(lines[i])
            i += 1
            continue
        fence = match.group("fence")
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = i + 1
        while end < len(lines) and not closing.match(lines[end].rstrip("\n")):
            end += 1
        if plain:
            pieces.append(("text", "".join(plain), ""))
            plain = []
        directive = _DIRECTIVE.match(match.group("info").strip())
        name = directive.group("name") if directive else "fence"
        argument = directive.group("argument") if directive else ""
        pieces.append((name, "".join(lines[i:end + 1]), argument))
        i = end + 1
    if plain:
        pieces.append(("text", "".join(plain), ""))
    return pieces


def exercise_label(source):
    """The ``:label:`` of an ``{exercise}`` block's source, or None."""
    for line in source.splitlines()[1:]:
        match = _LABEL.match(line.strip())
        if match:
            return match.group("label")
        if not line.strip().startswith(":"):
            break
    return None


def _markdown(text, cell_id):
    return {"cell_type": "markdown", "id": cell_id, "metadata": {},
            "source": text.strip("\n").splitlines(keepends=True)}


def _code(text, cell_id):
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": {},
            "outputs": [], "source": text.splitlines(keepends=True)}


def _safe_id(text):
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:60]


def workbook(notebook, checked_labels, *, name="in the book"):
    """The workbook copy of a notebook (a dict in nbformat 4), the original untouched.

    Raises ValueError if a solution is not closed, or closed without being opened.
    """
    result = copy.deepcopy(notebook)
    cells, in_solution, used_ids, inserted = [], False, set(), []

    def fresh(cell_id):
        candidate, n = _safe_id(cell_id), 2
        while candidate in used_ids:
            candidate, n = f"{_safe_id(cell_id)[:56]}-{n}", n + 1
        used_ids.add(candidate)
        return candidate

    for index, cell in enumerate(notebook["cells"]):
        base_id = cell.get("id") or f"cell-{index}"
        if cell["cell_type"] != "markdown":
            if not in_solution:
                kept = copy.deepcopy(cell)
                kept["id"] = fresh(base_id)
                if kept["cell_type"] == "code":
                    kept["outputs"], kept["execution_count"] = [], None
                cells.append(kept)
            continue
        kept_text, part = [], 0

        def flush():
            nonlocal part
            text = "".join(kept_text)
            kept_text.clear()
            if text.strip():
                new = _markdown(text, fresh(base_id if part == 0 else f"{base_id}-{part}"))
                new["metadata"] = copy.deepcopy(cell.get("metadata", {}))
                if "attachments" in cell and part == 0:
                    new["attachments"] = copy.deepcopy(cell["attachments"])
                cells.append(new)
                part += 1

        for kind, source, argument in blocks("".join(cell["source"])):
            if kind == "solution-start":
                if in_solution:
                    raise ValueError(f"{name}: a solution-start inside a solution ({argument})")
                in_solution = True
            elif kind == "solution-end":
                if not in_solution:
                    raise ValueError(f"{name}: a solution-end without its solution-start")
                in_solution = False
            elif kind == "solution" or in_solution:
                continue
            else:
                kept_text.append(source)
                label = exercise_label(source) if kind == "exercise" else None
                if label in checked_labels:
                    flush()
                    cells.append(_code(CHECK_CELL.format(label=label), fresh(f"wb-check-{label}")))
                    inserted.append(label)
        flush()
    if in_solution:
        raise ValueError(f"{name}: a solution-start that no solution-end closes")

    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    if inserted and IMPORT_LINE not in code:
        first_id = f"wb-check-{_safe_id(inserted[0])}"
        first = next(i for i, c in enumerate(cells) if c["id"] == first_id)
        cells[first]["source"] = [IMPORT_LINE + "\n"] + cells[first]["source"]
    if cells:
        cells.insert(1, _markdown(NOTE.format(name=name), fresh("wb-note")))
    result["cells"] = cells
    return result


def chapters():
    """The book's chapters, in order: book/NN-*.ipynb."""
    return sorted(BOOK.glob("[0-9][0-9]-*.ipynb"))


def write_workbook(out, notebooks=None, checked_labels=None):
    """Write the workbook copies of ``notebooks`` (default: every chapter) and book/data
    into the folder ``out``; returns the paths written."""
    if checked_labels is None:
        from cnnmath.exercises import labels
        checked_labels = set(labels())
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks or chapters():
        path = Path(path)
        notebook = json.loads(path.read_text(encoding="utf-8"))
        copy_ = workbook(notebook, checked_labels, name=f"`{path.name}` in the book")
        target = out / path.name
        target.write_text(json.dumps(copy_, indent=1, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        written.append(target)
    if (BOOK / "data").is_dir():
        shutil.copytree(BOOK / "data", out / "data", dirs_exist_ok=True)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "workbook"))
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    written = write_workbook(args.out, args.notebooks or None)
    print(f"wrote {len(written)} workbook notebooks into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
