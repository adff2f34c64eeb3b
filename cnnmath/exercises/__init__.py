"""Checks a reader can run on an exercise's answer, without opening its solution.

Every exercise whose answer is a number, an array, a SymPy expression or a function has a
check, registered under the exercise's label (the ``:label:`` of its ``{exercise}``
directive in the book)::

    from cnnmath.exercises import check
    check("conv-ex-stride", my_answer)

``check`` returns a :class:`Verdict`: it shows as one line that says whether the answer is
right and, when it is not, gives a hint that points at the mistake without giving the
solution away (wrong shape; wrong values from entry [i, j] on; right except at the
border; off by a sign or a constant factor; for a function, the first random case on
which it disagrees with the reference). ``bool(verdict)`` is whether the answer passed.

The checks of each chapter live in the private modules ``_ch01`` ... ``_ch10`` of this
package; the comparisons they share are in ``_compare``.
"""

import importlib
import pkgutil

from ._compare import Verdict

__all__ = ["Verdict", "check", "labels"]

_CHECKS = {}
_LOADED = []          # set once every chapter module has been imported


def _register(label):
    """Decorator: register ``checker(answer) -> Verdict`` as the check of ``label``."""
    def decorate(checker):
        if label in _CHECKS:
            raise ValueError(f"two checks are registered for the exercise {label!r}")
        _CHECKS[label] = checker
        return checker
    return decorate


def _load_chapters():
    """Import every chapter module once, which registers its checks.

    Importing one chapter's module directly registers only that chapter's checks, so
    whether the others are loaded is recorded separately from what is registered.
    """
    if not _LOADED:
        for info in pkgutil.iter_modules(__path__):
            if info.name.startswith("_ch"):
                importlib.import_module(f"{__name__}.{info.name}")
        _LOADED.append(True)


def labels():
    """The labels of every exercise that has a check, sorted.

    Returns
    -------
    list of str
        Exercise labels, as in the book's ``{exercise}`` directives.
    """
    _load_chapters()
    return sorted(_CHECKS)


def check(label, answer):
    """Check a reader's answer to the exercise ``label``.

    Parameters
    ----------
    label : str
        The exercise's label, printed under its title in the book (for example
        ``"conv-ex-stride"``).
    answer : object
        The answer in the form the exercise asks for: a number, a NumPy array, a SymPy
        expression or a Python function.

    Returns
    -------
    Verdict
        Displays as one line: a tick and what was confirmed, or a cross and a hint.
        ``bool(verdict)`` is True when the answer is right.

    Raises
    ------
    TypeError
        If ``label`` is not a string.
    ValueError
        If no exercise has the label ``label`` (the message lists the near matches).
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a string such as 'conv-ex-stride', "
                        f"got {type(label).__name__}")
    _load_chapters()
    if label not in _CHECKS:
        prefix = label.split("-")[0]
        near = [name for name in _CHECKS if name.startswith(prefix)]
        raise ValueError(f"no exercise has the label {label!r}"
                         + (f"; the labels that start alike are {near}" if near else ""))
    return _CHECKS[label](answer)
