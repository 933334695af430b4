"""When the cut kernel runs compiled and when interpreted: the choice never changes an answer, only its cost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from sovmap.graph import kernel
from sovmap.graph.propagation import propagate, reference_fixpoint


def chain_graph(n: int) -> nx.MultiDiGraph:
    """N0 depends on N1, ..., N(n-2) on N(n-1): cutting N(n-1) brings all others down."""
    g = nx.MultiDiGraph()
    for i in range(n - 1):
        g.add_edge(f"N{i}", f"N{i + 1}", key="depends_on")
    return g


@pytest.fixture()
def automatic(monkeypatch):
    """The kernel as a fresh process finds it: nothing compiled yet, nothing spent; every compilation recorded."""
    made = []
    real = kernel.compiled

    def recording():
        made.append(True)
        return real()

    monkeypatch.setattr(kernel, "JIT", None)
    monkeypatch.setattr(kernel, "_compiled", None)
    monkeypatch.setattr(kernel, "_spent", 0)
    monkeypatch.setattr(kernel, "compiled", recording)
    return made


def test_a_small_graph_runs_interpreted_until_its_cuts_have_reached_the_budget(automatic, monkeypatch):
    monkeypatch.setattr(kernel, "INTERPRET_BUDGET", 8)
    g = chain_graph(8)
    first = propagate(g, ["N7"])
    assert automatic == [] and kernel._spent == 8  # the cut and seven failed nodes, interpreted
    second = propagate(g, ["N7"])
    assert automatic == [True]  # the budget is spent: compiled from now on
    assert (first.failed, first.degraded, first.chain("N0")) == (second.failed, second.degraded, second.chain("N0"))
    assert set(second.failed) == reference_fixpoint(g, ["N7"])[0]


def test_once_compiled_every_cut_runs_compiled(automatic, monkeypatch):
    monkeypatch.setattr(kernel, "INTERPRET_BUDGET", 0)
    r = propagate(chain_graph(3), ["N2"])
    assert automatic == [True] and kernel._spent == 0 and r.chain("N0") == ["N0", "N1", "N2"]
    monkeypatch.setattr(kernel, "INTERPRET_BUDGET", 10**9)
    assert propagate(chain_graph(4), ["N3"]).chain("N0") == ["N0", "N1", "N2", "N3"]
    assert automatic == [True] and kernel._spent == 0  # compiled again, not interpreted: nothing spent


def test_kernel_info_says_how_the_compiled_kernel_was_made():
    info = kernel.kernel_info(warm=True)
    assert info["jit"] in (True, False) and info["cache"] in (True, False)
    assert info["import_s"] >= 0 and info["first_call_s"] >= 0


@pytest.mark.parametrize("args", [["impact", "--demo", "--supplier", "S-KYN"], ["spof", "--demo"]])
def test_a_command_on_the_demo_never_loads_numba(args):
    """`sovmap impact` and `sovmap spof` on a small inventory pay nothing for the compiled kernel."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('numba loaded:', 'numba' in sys.modules, file=sys.stderr))\n"
            f"sys.argv = ['sovmap', *{args!r}]\n"
            "from sovmap.cli import main\n"
            "main()\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip(), run.stderr[-3000:]  # it answered
    assert run.stderr.strip().splitlines()[-1] == "numba loaded: False"


def test_a_cache_entry_made_under_another_module_name_is_replaced_not_fatal(tmp_path):
    """`pytest --doctest-modules graph/` imports this file as `graph.kernel`; numba's cache entry then names a
    module the installed package cannot import. The next process empties the cache and compiles anew."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    path = Path(kernel.__file__)
    other = ("import importlib.util, sys\n"
             f"spec = importlib.util.spec_from_file_location('elsewhere_kernel', {str(path)!r})\n"
             "mod = importlib.util.module_from_spec(spec); sys.modules['elsewhere_kernel'] = mod\n"
             "spec.loader.exec_module(mod)\n"
             "print(mod.kernel_info(warm=True)['cache'])\n")
    ours = "from sovmap.graph.kernel import kernel_info\nprint(kernel_info(warm=True)['cache'])\n"
    for code in (other, ours, ours):
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]
        assert run.stdout.split() == ["True"] and "Warning" not in run.stderr, run.stdout + run.stderr
