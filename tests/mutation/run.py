"""Hand-written mutants of cnnmath's formula modules, and whether the tests kill them.

Each mutant in ``mutants.yml`` is one small, plausible mistake: an index off by one, a
padding or stride dropped, a term dropped, a sign flipped, a reduction swapped. For each
one this script copies the library and the tests into a scratch folder, makes that one
edit, and runs the tests that guard the module (then, if they all pass, the notebooks
named for it). A mutant that no test and no notebook notices is a survivor: either a
check is missing, or the mutant computes the same thing (an equivalent mutant), which
``mutants.yml`` must then say, with why.

    python tests/mutation/run.py              # every mutant; writes tests/mutation/report.md
    python tests/mutation/run.py ID [ID ...]  # only these

It runs outside ``make test`` (``make mutants``): each mutant reruns a test module.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
COPIED = ["cnnmath", "tests", "bench", "book", "pyproject.toml"]
TIMEOUT = 900        # seconds for one mutant's tests; a mutant that hangs counts as killed


def load_mutants(path=HERE / "mutants.yml"):
    """The mutants, each checked to apply to the current code exactly once."""
    mutants = yaml.safe_load(path.read_text(encoding="utf-8"))
    seen = set()
    for mutant in mutants:
        if mutant["id"] in seen:
            raise ValueError(f"mutant id {mutant['id']!r} is used twice")
        seen.add(mutant["id"])
        source = (ROOT / mutant["file"]).read_text(encoding="utf-8")
        count = source.count(mutant["find"])
        if count != 1:
            raise ValueError(f"mutant {mutant['id']}: {mutant['find']!r} occurs {count} times "
                             f"in {mutant['file']}, expected exactly once (update mutants.yml)")
        if mutant["find"] == mutant["replace"]:
            raise ValueError(f"mutant {mutant['id']} changes nothing")
    return mutants


def mutate(tree, mutant):
    path = tree / mutant["file"]
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace(mutant["find"], mutant["replace"]), encoding="utf-8")


def run(command, tree):
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    try:
        done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def verdict(mutant):
    """'killed by tests', 'killed by notebooks', 'equivalent' or 'SURVIVED'."""
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, tree / name,
                                ignore=shutil.ignore_patterns("__pycache__", "mutation"))
            else:
                shutil.copy2(source, tree / name)
        mutate(tree, mutant)
        tests = mutant.get("tests", ["tests"])
        pytest = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                  "--ignore=tests/built_book"]
        if not run(pytest + tests, tree):
            return "killed by tests"
        notebooks = mutant.get("notebooks", [])
        if notebooks and not run(pytest + ["--nbval-lax", "--nbval-current-env"]
                                 + [f"book/{name}" for name in notebooks], tree):
            return "killed by notebooks"
    return "equivalent" if mutant.get("equivalent") else "SURVIVED"


def report(results):
    lines = ["# Mutation report", "",
             "Written by `make mutants` (tests/mutation/run.py) from tests/mutation/mutants.yml.",
             "", "| module | mutants | killed | equivalent | survived |", "|---|---|---|---|---|"]
    modules = sorted({Path(m["file"]).stem for m, _ in results})
    for module in modules:
        rows = [v for m, v in results if Path(m["file"]).stem == module]
        killed = sum(v.startswith("killed") for v in rows)
        equivalent = rows.count("equivalent")
        lines.append(f"| {module} | {len(rows)} | {killed} | {equivalent} | "
                     f"{len(rows) - killed - equivalent} |")
    lines += ["", "| mutant | file | what it breaks | verdict |", "|---|---|---|---|"]
    for mutant, result in results:
        why = mutant["what"] + (f" (equivalent: {mutant['equivalent']})"
                                if result == "equivalent" else "")
        lines.append(f"| {mutant['id']} | {mutant['file']} | {why} | {result} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="run only these mutants")
    args = parser.parse_args()
    mutants = load_mutants()
    if args.ids:
        unknown = set(args.ids) - {m["id"] for m in mutants}
        if unknown:
            parser.error(f"no mutants with ids {sorted(unknown)}")
        mutants = [m for m in mutants if m["id"] in args.ids]
    results = []
    for mutant in mutants:
        start = time.perf_counter()
        result = verdict(mutant)
        print(f"{mutant['id']:<40} {result:<20} {time.perf_counter() - start:6.1f} s", flush=True)
        results.append((mutant, result))
    if not args.ids:
        (HERE / "report.md").write_text(report(results), encoding="utf-8")
    survivors = [m["id"] for m, v in results if v == "SURVIVED"]
    if survivors:
        print(f"survivors: {survivors}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
