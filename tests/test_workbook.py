"""make workbook: every chapter without its solutions, with a cell for each checked answer.

Small synthetic notebooks pin down the edge cases (a marker that shares its cell with an
exercise or a heading, a ``{solution}`` directive, nested fences, unbalanced markers);
the real book is then converted, and every copy must parse, keep every exercise and hint,
and hold no line of any solution.
"""

import json
import re

import nbformat
import pytest

from cnnmath.exercises import labels
from tools import workbook as wb


def md(text, cell_id):
    return {"cell_type": "markdown", "id": cell_id, "metadata": {},
            "source": text.splitlines(keepends=True)}


def code(text, cell_id):
    return {"cell_type": "code", "id": cell_id, "metadata": {}, "execution_count": 3,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}],
            "source": text.splitlines(keepends=True)}


def notebook(*cells):
    kernel = {"name": "python3", "display_name": "Python 3"}
    return {"cells": list(cells), "metadata": {"kernelspec": kernel},
            "nbformat": 4, "nbformat_minor": 5}


EXERCISE = """```{{exercise}}
:label: {label}
**(★) Title.** Statement.

:::{{hint}}
:class: dropdown
A nudge.
:::
```"""
START = "```{{solution-start}} {label}\n:class: dropdown\n```"
END = "```{solution-end}\n```"


def text_of(nb):
    return "\n".join("".join(c["source"]) for c in nb["cells"])


def test_one_exercise_per_cell_as_the_convention_says():
    nb = notebook(md("# Title", "t"), code("from cnnmath.exercises import check", "setup"),
                  md(EXERCISE.format(label="a-ex"), "ex"),
                  md(START.format(label="a-ex"), "s"), md("Because SECRET.", "why"),
                  code("answer = 42  # SECRET\ncheck('a-ex', answer)", "sol"),
                  md(END, "e"), md("After.", "after"))
    out = wb.workbook(nb, {"a-ex"})
    sources = ["".join(c["source"]) for c in out["cells"]]
    assert "SECRET" not in text_of(out) and "{solution" not in text_of(out)
    ex = next(i for i, s in enumerate(sources) if "{exercise}" in s)
    assert "A nudge." in sources[ex]                            # the hint stays
    assert sources[ex + 1] == 'answer = ...  # your answer\ncheck("a-ex", answer)'
    assert out["cells"][ex + 1]["cell_type"] == "code"
    assert sources[ex + 2] == "After."
    assert sources[0] == "# Title" and "Workbook" in sources[1]   # a note under the title
    assert all(c["outputs"] == [] and c["execution_count"] is None
               for c in out["cells"] if c["cell_type"] == "code")
    assert nb["cells"][4]["source"] == ["Because SECRET."]       # the original is untouched


def test_markers_that_share_a_cell_with_other_text():
    nb = notebook(md("# T", "t"),
                  md("## Exercises\n\n" + EXERCISE.format(label="a-ex") + "\n\n"
                     + START.format(label="a-ex") + "\n\nSECRET reasoning.", "mixed"),
                  code("SECRET = 1", "sol"),
                  md("SECRET tail.\n\n" + END + "\n\n" + EXERCISE.format(label="b-ex")
                     + "\n\n" + START.format(label="b-ex"), "mixed2"),
                  md(END + "\n\nClosing words.", "last"))
    out = wb.workbook(nb, {"a-ex", "b-ex"})
    sources = ["".join(c["source"]) for c in out["cells"]]
    assert "SECRET" not in text_of(out)
    assert sources[2].startswith("## Exercises") and ":label: a-ex" in sources[2]
    assert 'check("a-ex", answer)' in sources[3]
    assert sources[4].startswith("```{exercise}") and ":label: b-ex" in sources[4]
    assert 'check("b-ex", answer)' in sources[5]
    assert sources[6] == "Closing words."
    ids = [c["id"] for c in out["cells"]]
    assert len(ids) == len(set(ids))
    # the first inserted cell imports check when the chapter does not
    assert sources[3].startswith(wb.IMPORT_LINE)
    nbformat.validate(nbformat.from_dict(out))


def test_exercise_without_a_check_and_a_solution_directive():
    nb = notebook(md("# T", "t"), md(EXERCISE.format(label="proof-ex"), "ex"),
                  md("```{solution} proof-ex\n:class: dropdown\nSECRET proof.\n```\n\nNext.",
                     "sol"))
    out = wb.workbook(nb, {"other"})
    assert "SECRET" not in text_of(out) and "Next." in text_of(out)
    assert not any(c["cell_type"] == "code" for c in out["cells"])


def test_longer_fences_and_a_code_block_inside_a_solution():
    start = "````{solution-start} a-ex\n:class: dropdown\n````"
    nb = notebook(md("# T", "t"), md(EXERCISE.format(label="a-ex"), "ex"),
                  md(start + "\n\n```python\n```{solution-end}\nSECRET\n```\nSECRET", "s"),
                  md(":::{solution-end}\n:::\nKept.", "e"))
    out = wb.workbook(nb, set())
    assert "SECRET" not in text_of(out) and "Kept." in text_of(out)


@pytest.mark.parametrize("cells, message", [
    ([md(START.format(label="a"), "s")], "no solution-end"),
    ([md(END, "e")], "without its solution-start"),
    ([md(START.format(label="a"), "s"), md(START.format(label="b"), "s2")], "inside"),
])
def test_unbalanced_markers_are_refused(cells, message):
    with pytest.raises(ValueError, match=message):
        wb.workbook(notebook(md("# T", "t"), *cells), set())


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("workbook")
    return out, wb.write_workbook(out)


def test_the_real_book(written):
    out, paths = written
    assert [p.name for p in paths] == [p.name for p in wb.chapters()] and len(paths) >= 10
    assert (out / "data").is_dir()
    checked, called = set(labels()), set()
    for path, source in zip(paths, wb.chapters()):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        original = json.loads(source.read_text(encoding="utf-8"))
        text = text_of(nb)
        assert "solution-start" not in text and "solution-end" not in text
        assert "{solution}" not in text
        inside, outside = split(original)
        assert inside, f"{source.name} has no solution"
        outside_lines = set("\n".join(outside).splitlines())
        lines = set(text.splitlines())
        for line in "\n".join(inside).splitlines():
            # the workbook's own answer cell ends with the same check call
            template = re.fullmatch(r'check\("[\w-]+", answer\)', line.strip())
            if len(line.strip()) > 20 and line not in outside_lines and not template:
                assert line not in lines, f"{path.name}: a solution line is kept: {line!r}"
        for src in outside:                      # every exercise (with its hint) is kept
            if src.startswith("```{exercise}") or src.startswith(":::{exercise}"):
                assert src.strip() in text
                label = wb.exercise_label(src)
                if label in checked:
                    assert f'check("{label}", answer)' in text
                    called.add(label)
    assert called == checked, f"checks with no exercise in the workbook: {checked - called}"


def split(nb):
    """The pieces of a notebook inside its solutions and outside them (markdown and code)."""
    state, parts = False, {True: [], False: []}
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            parts[state].append("".join(cell["source"]))
            continue
        for kind, src, _ in wb.blocks("".join(cell["source"])):
            if kind == "solution-start":
                state = True
            elif kind == "solution-end":
                state = False
            else:
                parts[state or kind == "solution"].append(src)
    return parts[True], parts[False]
