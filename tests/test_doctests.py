"""Every docstring example in the package runs."""

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ["sovmap", "sovmap.cli", "sovmap.graph", "sovmap.ingest", "sovmap.ontology", "sovmap.store"]


def _modules() -> list[str]:
    names = set()
    for pkg in PACKAGES:
        mod = importlib.import_module(pkg)
        names.add(pkg)
        names.update(m.name for m in pkgutil.iter_modules(mod.__path__, pkg + "."))
    # The dashboard's Streamlit pages run on import; they are tested with AppTest.
    return sorted(names)


MODULES = _modules()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_the_core_modules_have_examples():
    counted = {name: doctest.testmod(importlib.import_module(name)).attempted
               for name in ["sovmap.graph.propagation", "sovmap.ingest.validate", "sovmap.ontology.vocab"]}
    assert all(n > 0 for n in counted.values()), counted
