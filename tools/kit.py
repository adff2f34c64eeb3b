"""Build the student kit: one zip with which a downloaded chapter runs.

    python -m tools.kit [--out _build/html/cnnmath-student-kit.zip]

The zip holds one folder, ``cnnmath-student-kit/``, with

- ``book/``: every notebook of the book, without outputs, and ``book/data``, which some
  chapters read;
- ``workbook/``: the same chapters without their solutions (tools.workbook), with data;
- ``wheels/``: a cnnmath wheel built from this working tree, offline (``pip wheel
  --no-build-isolation --no-deps``, with the setuptools that requirements.txt pins);
- ``requirements.txt``: the pinned packages a reader needs (requirements.txt without the
  editable install, the test tools and Jupyter Book, plus requirements-lab.txt for
  JupyterLab) and the wheel;
- ``README.md``: the two steps, a virtual environment with the packages, then JupyterLab.

The zip's entries are sorted and dated at the last commit (SOURCE_DATE_EPOCH for the
wheel too), so the same commit gives the same files.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from tools import workbook

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
NAME = "cnnmath-student-kit"
DEFAULT_OUT = ROOT / "_build" / "html" / f"{NAME}.zip"

# What `make test` and the book's build need and a reader running the notebooks does not
# (the tests' tools; Jupyter Book with its Sphinx themes and extensions). pip still
# installs any of them that a kept package depends on.
NOT_FOR_READERS = {
    "coverage", "hypothesis", "iniconfig", "nbval", "playwright", "pluggy", "pytest", "ruff",
    "sortedcontainers", "greenlet", "pyee", "setuptools",
    "jupyter-book", "sphinx-book-theme", "pydata-sphinx-theme", "accessible-pygments",
    "sphinx-comments", "sphinx-copybutton", "sphinx-design", "sphinx-external-toc",
    "sphinx-jupyterbook-latex", "sphinx-multitoc-numbering", "sphinx-thebe",
    "sphinx-togglebutton", "sphinx-exercise", "sphinx-proof", "sphinx-mathjax-offline",
    "sphinxcontrib-bibtex", "pybtex", "pybtex-docutils", "latexcodec", "linkify-it-py",
}

README = """# Student kit for *The Mathematics of Convolutional Networks, Executed*

This folder runs every chapter of the book on your own machine, with no network once
the packages are installed:

- `book/`: the chapters as notebooks, with their exercises and solutions;
- `workbook/`: the same chapters without the solutions, with a cell after each exercise
  for your answer (`check("<label>", answer)` says whether it is right, and gives a hint
  when it is not);
- `wheels/`: the `cnnmath` library the book derives, built from commit {commit};
- `requirements.txt`: the exact versions of everything the notebooks use, and JupyterLab.

You need Python 3.11 or newer. In a terminal, inside this folder:

1. Create a virtual environment and install the packages (a few minutes the first time):

       python3 -m venv .venv
       .venv/bin/python -m pip install -r requirements.txt

   (On Windows: `py -m venv .venv`, then `.venv\\Scripts\\python -m pip install -r
   requirements.txt`.)

2. Open JupyterLab, then a notebook in `workbook/` (or `book/`), and run it from the top:

       .venv/bin/jupyter lab

   (On Windows: `.venv\\Scripts\\jupyter lab`.)

Every notebook is seeded, so your numbers match the book's.
"""


def git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def commit():
    """The commit the kit is built from, marked "(with uncommitted changes)" if dirty."""
    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "cnnmath", "book",
                "pyproject.toml", "requirements.txt", "requirements-lab.txt")
    return head + (" (with uncommitted changes)" if dirty else "")


def source_date_epoch():
    return int(git("log", "-1", "--format=%ct") or time.time())


def _pins(path):
    return [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "-"))]


def requirements(wheel_name):
    """The kit's requirements.txt: the book's pins minus test tools, JupyterLab's, the wheel."""
    book = [pin for pin in _pins(ROOT / "requirements.txt")
            if pin.split("==")[0].lower().replace("_", "-") not in NOT_FOR_READERS]
    lab = _pins(ROOT / "requirements-lab.txt")
    return ("# The packages the book's notebooks use, pinned as the book was built with,\n"
            "# JupyterLab, and the cnnmath library itself (the wheel in wheels/).\n"
            + "\n".join(sorted(book + lab, key=str.lower))
            + f"\n./wheels/{wheel_name}\n")


def build_wheel(into, epoch):
    """Build cnnmath's wheel from a copy of the package (the tree stays clean), offline."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            shutil.copy2(ROOT / name, src / name)
        shutil.copytree(ROOT / "cnnmath", src / "cnnmath",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                        "--no-build-isolation", "--no-index", "--wheel-dir", str(into),
                        str(src)], check=True, env=env, cwd=tmp)
    wheels = sorted(Path(into).glob("cnnmath-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one cnnmath wheel in {into}, found {wheels}")
    return wheels[0]


def _strip_outputs(source, target):
    notebook = json.loads(source.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")


def stage(folder):
    """Write the kit's files into ``folder`` (created); returns the wheel's path."""
    folder = Path(folder)
    epoch = source_date_epoch()
    (folder / "book").mkdir(parents=True)
    for notebook in sorted(BOOK.glob("*.ipynb")):
        _strip_outputs(notebook, folder / "book" / notebook.name)
    shutil.copytree(BOOK / "data", folder / "book" / "data")
    workbook.write_workbook(folder / "workbook")
    wheel = build_wheel(folder / "wheels", epoch)
    (folder / "requirements.txt").write_text(requirements(wheel.name), encoding="utf-8")
    (folder / "README.md").write_text(README.format(commit=commit()), encoding="utf-8")
    return wheel


def build_kit(out=DEFAULT_OUT):
    """Build the kit's zip at ``out``; returns its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    epoch = source_date_epoch()
    stamp = time.gmtime(max(epoch, 315532800))[:6]          # zip dates start in 1980
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / NAME
        stage(folder)
        partial = out.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(str(path.relative_to(tmp)), date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
        partial.replace(out)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    args = parser.parse_args(argv)
    out = build_kit(args.out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
