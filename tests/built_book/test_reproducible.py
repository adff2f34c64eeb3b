"""The build is reproducible: executing a chapter again gives the same output, cell by cell.

`make book` executes every chapter once and jupyter-book keeps the executed
notebooks in its cache, ``_build/.jupyter_cache``; the pages show exactly those
outputs. Here each chapter is executed a second time, in a fresh kernel (the
same one the build uses: the Makefile points JUPYTER_PATH at the venv), and
every output is compared with the cached one: printed text, rich reprs
(plain text, HTML, LaTeX, so every number the reader sees) and the PNG bytes
of every figure. A chapter whose numbers depend on an unseeded random
generator, on the order of a set, on a clock or on the machine fails here.

The cache is matched by the hash of the committed notebook's code, so a cache
left from an older version of a chapter is never compared: that is reported
as "run `make book` first". Two things are masked: memory addresses
(``0x7f...`` in reprs) and printed durations (a number followed by s, ms, ...,
as in "training took 35.5 s"). A cell whose whole output is meant to vary may
carry the tag ``output-varies``; it is executed but not compared.

The second execution also fails on any error or any output to stderr, so it
does everything ``pytest --nbval-lax book`` does: with this test in the
``browser`` step, the separate nbval step of ``make test`` is redundant.
"""

import os
import re
from pathlib import Path

import nbformat
import pytest

from built_html import HTML

ROOT = HTML.parents[1]
# for a build made with --path-output
BUILD = Path(os.environ.get("CNNMATH_BUILD_DIR", HTML.parent))
CACHE = BUILD / ".jupyter_cache"
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
# A printed duration ("training took 35.5 s") is the one number that may not repeat.
DURATION = re.compile(r"\b\d+(?:\.\d+)?(?:e-?\d+)?\s?(?:s|ms|µs|us|ns|seconds|minutes|min)\b")
COMPARED_MIME = ("text/plain", "text/html", "text/latex", "text/markdown", "image/png",
                 "image/svg+xml")


def chapters():
    """The notebooks of the table of contents, in reading order."""
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    files = (ROOT / f"{name}.ipynb" for name in re.findall(r"file:\s*(\S+)", toc))
    return [path for path in files if path.is_file()]


def mask(text):
    return DURATION.sub("<duration>", ADDRESS.sub("0x?", text))


def comparable(outputs):
    """The outputs of one cell as a list of (kind, text) pairs, addresses and durations masked.

    Consecutive pieces of one stream are joined first: how the kernel splits
    printed text into messages depends on timing, not on the text.
    """
    result = []
    for output in outputs:
        kind = output["output_type"]
        if kind == "stream":
            if result and result[-1][0] == output["name"]:
                result[-1] = (output["name"], result[-1][1] + output["text"])
            else:
                result.append((output["name"], output["text"]))
        elif kind == "error":
            result.append(("error", f"{output['ename']}: {output['evalue']}"))
        else:
            for mime in COMPARED_MIME:
                if mime in output.get("data", {}):
                    value = output["data"][mime]
                    value = "".join(value) if isinstance(value, list) else value
                    result.append((mime, value))
    return [(kind, mask(text) if not kind.startswith("image/png") else text)
            for kind, text in result]


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def first_difference(a, b):
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return index, x, y
    return min(len(a), len(b)), a[len(b):len(b) + 1], b[len(a):len(a) + 1]


@pytest.fixture(scope="module")
def cache():
    from jupyter_cache import get_cache

    if not CACHE.is_dir():
        pytest.fail(f"{CACHE} does not exist: run `make book` first")
    cache = get_cache(CACHE)
    yield cache
    # Close the cache's SQLite connections: Python 3.13 warns about an unclosed one at
    # exit, and the tests turn every warning into an error.
    cache.db.dispose()


@pytest.mark.parametrize("path", chapters(), ids=lambda p: p.stem)
def test_second_execution_gives_the_same_outputs(cache, path):
    from nbclient import NotebookClient

    committed = nbformat.read(path, as_version=4)
    try:
        record = cache.match_cache_notebook(committed)
    except KeyError:
        pytest.fail(f"the build cache holds no execution of the current {path.name}: "
                    "run `make book` first")
    built = cache.get_cache_bundle(record.pk).nb

    rerun = nbformat.read(path, as_version=4)
    NotebookClient(rerun, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()

    stderr = [cell.source.splitlines()[0][:50] for cell in code_cells(rerun)
              if any(o.get("name") == "stderr" for o in cell.outputs)]
    assert not stderr, f"{path.name}: cells writing to stderr (the build rejects them): {stderr}"
    built_cells, rerun_cells = code_cells(built), code_cells(rerun)
    assert len(built_cells) == len(rerun_cells)
    differences = []
    for number, (old, new) in enumerate(zip(built_cells, rerun_cells), start=1):
        if "output-varies" in new.metadata.get("tags", []):
            continue
        before, after = comparable(old.outputs), comparable(new.outputs)
        if before != after:
            index, x, y = first_difference(before, after)
            differences.append(f"code cell {number} ({new.source.splitlines()[0][:50]!r}), "
                               f"output {index}: built {str(x)[:200]!r}, rerun {str(y)[:200]!r}")
    assert not differences, (f"{path.name} is not reproducible (or cnnmath changed after the "
                             "build: `make book` rebuilds then):\n" + "\n".join(differences))
