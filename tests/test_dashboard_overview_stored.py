"""The overview's figures stored per workspace version: the page read back from them equals the page computed,
a later open needs neither the graph nor an analysis, and a stale, corrupted or damaged version is never shown
from them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sovmap.dashboard import analysis, data
from sovmap.dashboard.overview_answers import OVERVIEW_FILE, overview_of, read_overview
from sovmap.ingest.synthetic import write_synthetic
from sovmap.store import Workspace, demo_files
from sovmap.store.workspace import snapshot_source

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")


def elements(node, out: list | None = None) -> list[tuple[str, str]]:
    """Every leaf element of the page with its whole message: text, numbers, chart data and specs."""
    out = [] if out is None else out
    children = getattr(node, "children", None)
    if isinstance(children, dict) and children:
        for child in children.values():
            elements(child, out)
    elif hasattr(node, "proto"):
        out.append((node.type, str(node.proto)))
    return out


@pytest.fixture
def overview(monkeypatch):
    """Open the overview on a workspace with nothing cached in this process, as a fresh dashboard does."""

    def _open(root: Path, lang: str = "en") -> AppTest:
        st.cache_resource.clear()
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(root))
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        return at

    return _open


@pytest.fixture(scope="module")
def synthetic_root(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic2")
    write_synthetic(folder, 2, seed=3)
    root = tmp_path_factory.mktemp("synthetic-ws")
    version, problems = Workspace(root).add([(p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv"))])
    assert version is not None, [str(p) for p in problems[:3]]
    return root


def no_graph(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the graph was opened or analysed for the overview")

    monkeypatch.setattr(Workspace, "load_graph", refuse)
    monkeypatch.setattr(analysis, "compute_analysis", refuse)
    monkeypatch.setattr(data, "compute_analysis", refuse)


@pytest.mark.parametrize("which", ["demo", "synthetic"])
def test_the_page_from_stored_figures_equals_the_page_computed(which, overview, monkeypatch, tmp_path, synthetic_root):
    if which == "demo":
        Workspace(tmp_path).add(demo_files())
        root = tmp_path
    else:
        root = synthetic_root
    v = Workspace(root).current()
    (v.path / OVERVIEW_FILE).unlink(missing_ok=True)
    for lang in ("en", "nl"):
        computed = elements(overview(root, lang).main)
        assert (v.path / OVERVIEW_FILE).is_file()
        with monkeypatch.context() as m:
            no_graph(m)
            stored = elements(overview(root, lang).main)
        assert stored == computed
        assert [t for t, _ in computed].count("vega_lite_chart") >= 4 and "metric" in {t for t, _ in computed}


def test_stored_figures_equal_those_counted_from_the_analysis(synthetic_root):
    ws = Workspace(synthetic_root)
    v = ws.current()
    counted = overview_of(analysis.answers_of(analysis.compute_analysis(v, ws.load_graph())))
    st.cache_resource.clear()
    data.overview(str(synthetic_root), v.id)
    stored = read_overview(v.path / OVERVIEW_FILE, snapshot_source(v))
    assert stored is not None and stored.figures == counted.figures and stored.assessment == counted.assessment
    assert stored.groups == json.loads(json.dumps(counted.groups)) and stored.coverage == counted.coverage
    assert counted.figures.vital_high and counted.groups  # figures with something in them


class TestNeverFromAnUnusableFile:
    def test_a_file_of_other_code_or_another_version_is_computed_again(self, overview, monkeypatch, tmp_path):
        Workspace(tmp_path).add(demo_files())
        v = Workspace(tmp_path).current()
        expected = elements(overview(tmp_path).main)
        path = v.path / OVERVIEW_FILE
        stored = json.loads(gzip.decompress(path.read_bytes()))
        stored["overview"]["figures"]["vital_high"] = 999  # a figure the page would show if it read this file
        stored["stamp"]["code"] = "0" * 64  # ... written by other code
        path.write_bytes(gzip.compress(json.dumps(stored).encode()))
        assert elements(overview(tmp_path).main) == expected
        assert json.loads(gzip.decompress(path.read_bytes()))["stamp"]["code"] != "0" * 64  # written again
        stored["stamp"] = json.loads(gzip.decompress(path.read_bytes()))["stamp"] | {"source": {"version": "v0009"}}
        path.write_bytes(gzip.compress(json.dumps(stored).encode()))
        assert elements(overview(tmp_path).main) == expected

    @pytest.mark.parametrize("damage", [b"", b"not gzip", gzip.compress(b"{\"stamp\": 1}"), gzip.compress(b"[")])
    def test_a_corrupted_file_is_computed_again(self, damage, overview, tmp_path):
        Workspace(tmp_path).add(demo_files())
        path = Workspace(tmp_path).current().path / OVERVIEW_FILE
        expected = elements(overview(tmp_path).main)
        path.write_bytes(damage)
        assert elements(overview(tmp_path).main) == expected
        assert read_overview(path, snapshot_source(Workspace(tmp_path).current())) is not None

    def test_a_damaged_version_says_so_even_with_its_figures_stored(self, overview, tmp_path):
        Workspace(tmp_path).add(demo_files())
        v = Workspace(tmp_path).current()
        overview(tmp_path)
        assert (v.path / OVERVIEW_FILE).is_file()
        changed = next((v.path / "files").iterdir())
        changed.write_bytes(changed.read_bytes() + b"\n")
        at = overview(tmp_path)
        assert at.error and v.id in at.error[0].value and not at.metric
