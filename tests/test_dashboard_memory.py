"""The dashboard keeps a cached graph out of the garbage collector's walks, and still frees every graph it drops."""

from __future__ import annotations

import gc
import weakref

import pytest
import streamlit as st

from sovmap.dashboard import data
from sovmap.ingest.synthetic import write_synthetic
from sovmap.store import Workspace


@pytest.fixture
def two_versions(tmp_path):
    folder = tmp_path / "inv"
    write_synthetic(folder, 1, seed=5)
    files = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv"))]
    ws = Workspace(tmp_path / "ws")
    first, _ = ws.add(files)
    second, _ = ws.add(files[::-1], label="again")
    st.cache_resource.clear()
    yield str(ws.root), first.id, second.id
    st.cache_resource.clear()
    assert gc.get_freeze_count() == 0


def test_a_cached_graph_is_kept_out_of_the_collectors_walks(two_versions):
    root, first, _ = two_versions
    g = data.graph(root, first)
    inner = [kd for nbrs in g._succ.values() for kd in nbrs.values()]
    assert inner and gc.get_freeze_count() >= len(inner)  # frozen: no full collection walks them
    assert not any(o is g._succ for o in gc.get_objects())


def test_a_dropped_graph_is_freed(two_versions):
    root, first, _ = two_versions
    g = data.graph(root, first)
    assert len(g.nodes) and len(g.edges)  # views that refer back to it: a reference cycle
    ref = weakref.ref(g)
    del g
    data.graph.clear()
    gc.collect()
    assert ref() is None and gc.get_freeze_count() == 0


def test_a_graph_alive_at_another_open_is_freed_when_dropped_later(two_versions):
    root, first, second = two_versions
    earlier = data.analysis(root, first).g  # the analysis holds the graph too
    assert len(earlier.edges)
    ref = weakref.ref(earlier)
    del earlier
    later = data.graph(root, second)  # another version opened: everything alive frozen again
    data.graph.clear()
    gc.collect()
    assert ref() is not None  # the first version's analysis still holds it
    data.analysis.clear()
    gc.collect()
    assert ref() is None and len(later.nodes)
