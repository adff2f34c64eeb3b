"""The student kit: a downloaded chapter runs with nothing but the kit.

The kit is built into a temporary folder, unzipped outside the repository, installed as
its README says into a fresh virtual environment (pip may take the wheels from its cache
or the machine's index), and one chapter is executed from the unzipped folder, with no
repository on any path. With CNNMATH_KIT_WORKBOOK=1 its workbook copy is executed too
(its answer cells say "✗" until the reader fills them in); that adds about a minute,
which `make test` leaves out.
"""

import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tools import kit as kit_tool
from tools import workbook

ROOT = Path(__file__).resolve().parents[1]
# A short chapter with checked exercises, executed from the kit.
CHAPTER = os.environ.get("CNNMATH_KIT_CHAPTER", "01-images-as-arrays.ipynb")
FOLDERS = ("book", "workbook") if os.environ.get("CNNMATH_KIT_WORKBOOK") == "1" else ("book",)


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    start = time.perf_counter()
    path = kit_tool.build_kit(tmp_path_factory.mktemp("kit") / "cnnmath-student-kit.zip")
    print(f"\nkit built in {time.perf_counter() - start:.1f} s: "
          f"{path.stat().st_size / 1e6:.2f} MB")
    return path


def test_the_kit_holds_the_book_the_workbook_the_wheel_and_the_steps(kit):
    names = set(zipfile.ZipFile(kit).namelist())
    top = kit_tool.NAME
    for notebook in sorted((ROOT / "book").glob("*.ipynb")):
        assert f"{top}/book/{notebook.name}" in names
    for chapter in workbook.chapters():
        assert f"{top}/workbook/{chapter.name}" in names
    for data in (ROOT / "book" / "data").iterdir():
        assert f"{top}/book/data/{data.name}" in names
        assert f"{top}/workbook/data/{data.name}" in names
    wheel = re.compile(rf"{top}/wheels/cnnmath-[\d.]+-py3-none-any\.whl")
    wheels = [n for n in names if wheel.fullmatch(n)]
    assert len(wheels) == 1
    archive = zipfile.ZipFile(kit)
    readme = archive.read(f"{top}/README.md").decode()
    assert "python3 -m venv .venv" in readme and "-m pip install -r requirements.txt" in readme
    assert "jupyter lab" in readme
    requirements = archive.read(f"{top}/requirements.txt").decode().splitlines()
    assert f"./wheels/{Path(wheels[0]).name}" in requirements
    assert "-e ." not in requirements and not any(r.startswith("pytest") for r in requirements)
    assert not any(r.startswith("jupyter-book") for r in requirements)
    assert any(r.startswith("jupyterlab==") for r in requirements)
    for name in names:
        if name.endswith(".ipynb"):
            cells = json.loads(archive.read(name))["cells"]
            assert all(c.get("outputs", []) == [] for c in cells), f"{name} has outputs"


def test_the_wheel_is_this_commits_cnnmath(kit, tmp_path):
    archive = zipfile.ZipFile(kit)
    wheel_name = next(n for n in archive.namelist() if n.endswith(".whl"))
    wheel = tmp_path / "cnnmath.whl"
    wheel.write_bytes(archive.read(wheel_name))
    inside = zipfile.ZipFile(wheel)
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "cnnmath").rglob("*.py"))
    assert modules and set(modules) <= set(inside.namelist())
    for module in modules:
        assert inside.read(module) == (ROOT / module).read_bytes(), module


def _clean_env(venv):
    """The environment of a reader's shell: the kit's venv first, nothing of the repo."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "JUPYTER_PATH", "VIRTUAL_ENV", "PYTHONHOME",
                          "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "PYTHONSTARTUP"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def _run(command, cwd, env, timeout):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, (f"{' '.join(map(str, command))} failed:\n"
                                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def test_a_downloaded_chapter_runs_from_the_kit(kit, tmp_path):
    assert ROOT not in tmp_path.resolve().parents
    zipfile.ZipFile(kit).extractall(tmp_path)
    folder = tmp_path / kit_tool.NAME
    venv = tmp_path / "venv"
    env = _clean_env(venv)
    # Step 1 of the kit's README, in the unzipped folder.
    _run([sys.executable, "-m", "venv", str(venv)], folder, env, 120)
    start = time.perf_counter()
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
          "--disable-pip-version-check", "-r", "requirements.txt"], folder, env, 900)
    print(f"\nkit installed into a fresh virtual environment in "
          f"{time.perf_counter() - start:.1f} s")
    where = _run([str(venv / "bin" / "python"), "-c",
                  "import cnnmath, sys; print(cnnmath.__file__); print(sys.path)"],
                 folder / "book", env, 60).stdout
    assert str(venv) in where.splitlines()[0] and str(ROOT) not in where
    # The chapter, then its workbook copy, executed where the reader opens them.
    for sub in FOLDERS:
        start = time.perf_counter()
        _run([str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
              "--ExecutePreprocessor.timeout=300", "--output", f"executed-{CHAPTER}",
              CHAPTER], folder / sub, env, 600)
        executed = json.loads((folder / sub / f"executed-{CHAPTER}").read_text())
        outputs = [o for c in executed["cells"] if c["cell_type"] == "code"
                   for o in c["outputs"]]
        assert not [o for o in outputs if o["output_type"] == "error"]
        shown = "".join("".join(o.get("data", {}).get("text/plain", ""))
                        for o in outputs if o["output_type"] == "execute_result")
        if sub == "workbook" and 'check("' in json.dumps(executed):
            assert "✗" in shown and "✓" not in shown      # `answer = ...` is not an answer
        print(f"{sub}/{CHAPTER} executed from the kit in {time.perf_counter() - start:.1f} s")
