"""When the cut kernel runs compiled and when interpreted: the choice never changes an answer, only its cost."""

from __future__ import annotations

import subprocess
import sys

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


def test_a_large_graph_gets_the_compiled_kernel_at_its_first_cut(automatic, monkeypatch):
    monkeypatch.setattr(kernel, "COMPILE_FROM_NODES", 8)
    propagate(chain_graph(7), ["N6"])
    assert automatic == []
    r = propagate(chain_graph(8), ["N7"])
    assert automatic == [True] and r.chain("N0") == [f"N{i}" for i in range(8)]


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
