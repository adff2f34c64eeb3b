"""The public API as the README and the API reference describe it.

Each module lists its public names in ``__all__``; the functional modules' names are
exported from the top level (``from cnnmath import conv2d``), like
``torch.nn.functional``; every exported function and every layer has at least one case
in the bad-input catalogue. (That each name appears in the built API reference is
checked on the built book, in ``tests/built_book/test_api_page.py``.)
"""

import importlib
import inspect
import pkgutil

import pytest

import cnnmath
from test_bad_input import CASES

# The modules whose ``__all__`` make up ``cnnmath.__all__``; the others (nn, symbolic,
# reference, init, models, training, plotting) are imported by name.
FUNCTIONAL = ["activations", "conv", "dense", "losses", "normalization", "pooling", "shapes",
              "gradcheck", "data"]


def public_modules():
    """Every module of the package whose name does not start with an underscore."""
    names = [info.name for info in pkgutil.walk_packages(cnnmath.__path__, "cnnmath.")
             if not any(part.startswith("_") for part in info.name.split("."))]
    return [importlib.import_module(name) for name in sorted(names)]


def defined_here(module):
    """The public functions and classes that ``module`` itself defines."""
    return {name for name, obj in vars(module).items()
            if not name.startswith("_")
            and (inspect.isfunction(obj) or inspect.isclass(obj))
            and obj.__module__ == module.__name__}


@pytest.mark.parametrize("module", public_modules(), ids=lambda m: m.__name__)
def test_every_module_lists_exactly_its_public_names(module):
    assert hasattr(module, "__all__"), f"{module.__name__} has no __all__"
    listed = set(module.__all__)
    assert len(listed) == len(module.__all__), f"{module.__name__}.__all__ repeats a name"
    missing = [name for name in listed if not hasattr(module, name)]
    assert not missing, f"{module.__name__}.__all__ names what it does not have: {missing}"
    private = [name for name in listed if name.startswith("_")]
    assert not private, f"{module.__name__}.__all__ lists private names: {private}"
    unlisted = defined_here(module) - listed
    assert not unlisted, f"{module.__name__} defines public names not in __all__: {unlisted}"


def test_the_top_level_exports_every_functional_name_and_nothing_else():
    expected = set()
    for name in FUNCTIONAL:
        module = importlib.import_module(f"cnnmath.{name}")
        for item in module.__all__:
            assert getattr(cnnmath, item, None) is getattr(module, item), (
                f"cnnmath.{item} is not cnnmath.{name}.{item}")
        expected |= set(module.__all__)
    assert set(cnnmath.__all__) == expected


def catalogued_names():
    """The function or class each bad-input case calls: the first word of its id."""
    return {case[0].split()[0] for case in CASES}


def api_callables():
    names = [name for name in cnnmath.__all__ if callable(getattr(cnnmath, name))]
    return names + [f"nn.{name}" for name in cnnmath.nn.__all__
                    if name not in ("Layer", "Parameter")]


@pytest.mark.parametrize("name", api_callables())
def test_every_function_and_layer_has_a_bad_input_case(name):
    assert name in catalogued_names(), (
        f"{name} has no case in tests/test_bad_input.py (a case's id starts with the name)")


@pytest.mark.parametrize("name", [n for n in cnnmath.__all__
                                  if inspect.isfunction(getattr(cnnmath, n))])
def test_every_top_level_function_documents_its_arguments_errors_and_derivation(name):
    """numpydoc Parameters, Returns and Raises, and a reference to a section of the book
    (which the API page turns into a link; tests/built_book/test_api_page.py checks it)."""
    doc = inspect.getdoc(getattr(cnnmath, name)) or ""
    for section in ("Parameters\n----------", "Returns\n-------", "Raises\n------"):
        assert section in doc, f"{name}'s docstring has no {section.splitlines()[0]} section"
    assert ":ref:`" in doc, f"{name}'s docstring does not point to the section deriving it"
