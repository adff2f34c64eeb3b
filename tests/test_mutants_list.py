"""The mutants that `make mutants` runs still apply to the current code.

Each mutant names a line of cnnmath to change; if the code is rewritten and the line no
longer exists (or exists twice), the mutant would silently test nothing, so the list must
be updated with the code.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "mutation"))
from run import load_mutants  # noqa: E402


def test_every_mutant_applies_exactly_once():
    mutants = load_mutants()        # raises, naming the mutant, when one does not apply
    assert len(mutants) >= 30
    assert {Path(m["file"]).stem for m in mutants} >= {
        "shapes", "conv", "pooling", "activations", "losses", "dense"}
