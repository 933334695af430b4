"""The rows of an impact report are columns until read: equal to item() row by row, built only when read."""

from __future__ import annotations

import contextlib
import io

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sovmap.cli.analysis import KINDS, print_impact
from sovmap.cli.texts import counts_text, kinds_label, t
from sovmap.graph.impact import ImpactRows, impact, item, severity_key
from sovmap.graph.model import build_graph
from sovmap.graph.dependency_index import _cache as index_cache
from sovmap.graph.errors import UnknownNodeError
from sovmap.graph.impact_rows import CHUNK
from sovmap.graph.propagation import propagate
from sovmap.graph.scenarios import Scenario, scenario_cut
from sovmap.ingest.validate import load
from .test_propagation import random_supplier_graphs

LEVELS = {"criticality": [None, "vital", "high", "medium", "low"],
          "classification": [None, "secret", "confidential", "internal", "public"]}


@st.composite
def graphs_of_many_kinds(draw):
    """Processes, data sets, systems and suppliers; any of them may carry a criticality or classification."""
    n = draw(st.integers(2, 16))
    nodes = [f"N{i:02d}" for i in range(n)]
    g = nx.MultiDiGraph()
    for x in nodes:
        attrs = {"kind": draw(st.sampled_from(["process", "dataset", "system", "supplier"])), "name": x.lower()}
        for attr, values in LEVELS.items():
            value = draw(st.sampled_from(values))
            if value:
                attrs[attr] = value
        g.add_node(x, **attrs)
    for u in nodes:
        for v in draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True)):
            if v != u:
                g.add_edge(u, v, key="depends_on", **({"groups": (("alt", 1),)} if draw(st.booleans()) else {}))
    cut = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique=True))
    return g, cut


@pytest.fixture(scope="module")
def demo(demo_path):
    inv, _ = load(demo_path)
    return build_graph(inv)


def expected_rows(g, prop, which, full_chain=False):
    notes: dict[str, str] = {}
    return [item(g, n, prop, notes, full_chain=full_chain)
            for n in sorted(getattr(prop, which), key=lambda n: severity_key(g, n))]


class TestImpactRows:
    @settings(max_examples=150, deadline=None)
    @given(graphs_of_many_kinds(), st.booleans())
    def test_columns_and_rows_equal_one_item_at_a_time_in_severity_order(self, case, full_chain):
        g, cut = case
        prop = propagate(g, cut)
        for which in ("failed", "degraded"):
            expect = expected_rows(g, prop, which, full_chain)
            rows = ImpactRows.by_severity(g, prop, getattr(prop, f"{which}_pos"), full_chain=full_chain)
            assert len(rows) == len(expect)
            assert rows.ids() == [r["id"] for r in expect]
            assert rows.ids(2) == [r["id"] for r in expect[:2]]
            assert rows.kinds() == [r["kind"] for r in expect]
            assert rows.levels() == [r.get("criticality") if r["kind"] == "process" else
                                     r.get("classification") if r["kind"] == "dataset" else None for r in expect]
            some = rows.of_kinds({"process", "supplier"})
            assert list(some) == [r for r in expect if r["kind"] in ("process", "supplier")]
            assert some.ids() == [r["id"] for r in expect if r["kind"] in ("process", "supplier")]
            assert [rows[i] for i in range(-len(rows), len(rows))] == expect + expect
            assert rows[1:3] == expect[1:3] and rows[::2] == expect[::2]
            assert list(rows) == expect and rows == expect

    def test_a_row_is_built_only_when_read(self, monkeypatch, demo):
        g = demo
        calls = []
        real = ImpactRows._build
        monkeypatch.setattr(ImpactRows, "_build", lambda self, a, b: calls.append((a, b)) or real(self, a, b))
        r = impact(g, Scenario(suppliers=["S-KYN"]))
        assert len(r["failed"]) > 3 and r["failed"].ids() and r["failed"].levels() and calls == []
        first = r["failed"][0]
        assert calls == [(0, 1)] and first["id"] == r["failed"].ids()[0]

    def test_rows_read_in_full_are_kept_for_the_next_reading(self, monkeypatch, demo):
        g = demo
        rows = impact(g, Scenario(countries=["US"]))["failed"]
        calls = []
        real = ImpactRows._build
        monkeypatch.setattr(ImpactRows, "_build", lambda self, a, b: calls.append((a, b)) or real(self, a, b))
        once = list(rows)
        assert list(rows) == once and rows[-1] == once[-1]
        assert len(calls) == -(-len(rows) // CHUNK)

    def test_an_index_past_the_end_raises_index_error(self, demo):
        rows = impact(demo, Scenario(suppliers=["S-KYN"]))["failed"]
        with pytest.raises(IndexError, match="out of range"):
            rows[len(rows)]

    def test_rows_add_up_like_lists(self, demo):
        r = impact(demo, Scenario(suppliers=["S-KYN"]))
        both = r["failed"] + r["degraded"]
        assert isinstance(both, list) and both == list(r["failed"]) + list(r["degraded"])
        assert [] + r["degraded"] == list(r["degraded"]) and r["failed"] + [] == list(r["failed"])


def summary_from_rows(title: str, rows: list[dict], top: int, lang: str) -> str:
    """The summary as the CLI printed it when it read every row (the oracle for the columns)."""
    out = [f"\n{title.upper()} ({len(rows)})"]
    for kind in KINDS:
        of_kind = [r for r in rows if r["kind"] == kind]
        if not of_kind:
            continue
        level = [r.get("criticality") or r.get("classification") or None for r in of_kind]
        levels = counts_text(level, None, lang, ("vital", "high", "medium", "low", "secret", "confidential",
                                                  "internal", "public")) if any(level) else ""
        out.append(f"  {kinds_label(kind, lang)} {len(of_kind)}" + (f" ({levels})" if levels else ""))
        shown = of_kind[:top]
        out.append("    " + ", ".join(r["id"] for r in shown) + (", " + t("and_more", lang, n=len(of_kind) - len(shown))
                                                               if len(of_kind) > len(shown) else ""))
    return "\n".join(out)


@pytest.mark.parametrize("scenario", [Scenario(suppliers=["S-KYN"]), Scenario(countries=["US"])])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_cli_summary_from_columns_equals_the_summary_from_every_row(scenario, lang, demo):
    g = demo
    result = impact(g, Scenario(**vars(scenario)))
    with contextlib.redirect_stdout(io.StringIO()) as out:
        print_impact(result, scenario, lang, top=2)
    for key, title in (("failed", "fails"), ("degraded", "degraded")):
        assert summary_from_rows(t(title, lang), list(result[key]), 2, lang) in out.getvalue()


def small_cut_graph() -> nx.MultiDiGraph:
    """Two processes, a data set and two systems on one supplier."""
    g = nx.MultiDiGraph()
    g.add_node("S", kind="supplier", name="s", country="US")
    for n, attrs in {"P-A": {"kind": "process", "criticality": "low"},
                     "P-B": {"kind": "process", "criticality": "high"},
                     "D-A": {"kind": "dataset", "classification": "public"},
                     "SYS-A": {"kind": "system"}, "SYS-B": {"kind": "system"}}.items():
        g.add_node(n, name=n.lower(), **attrs)
    for u, v in (("P-A", "SYS-A"), ("P-B", "SYS-B"), ("D-A", "SYS-A"), ("SYS-A", "S"), ("SYS-B", "S")):
        g.add_edge(u, v, key="depends_on")
    return g


class TestLevels:
    @pytest.mark.parametrize("edit", [
        lambda g: g.add_node("P-A", criticality="vital"),
        lambda g: nx.set_node_attributes(g, {"P-A": {"criticality": "vital"}}),
        lambda g: (g.nodes["P-A"].update(criticality="vital"), g.__networkx_cache__.clear()),
    ], ids=["add_node", "set_node_attributes", "in place, then the cache cleared"])
    def test_an_edit_of_a_criticality_between_two_reports_is_seen(self, edit):
        """The levels are kept with the dependency index; an edit by networkx's rules for its caches is seen."""
        g = small_cut_graph()
        assert impact(g, Scenario(suppliers=["S"]))["failed"].ids(2) == ["P-B", "P-A"]
        edit(g)
        rows = impact(g, Scenario(suppliers=["S"]))["failed"]
        assert rows.ids(2) == ["P-A", "P-B"] and rows.levels()[:2] == ["vital", "high"]
        assert rows[0]["criticality"] == "vital"

    def test_a_level_on_another_kind_neither_ranks_nor_shows(self):
        """Only a process's criticality and a data set's classification rank a row (the levels a row shows).

        An extra column named criticality in systems.csv is kept on the systems as it was written: it must
        not reorder them (nor stop the report, as a value outside the vocabulary once did).
        """
        g = small_cut_graph()
        g.nodes["SYS-B"]["criticality"] = "BIV 3"
        g.nodes["SYS-A"]["classification"] = "secret"
        g.nodes["SYS-A"]["criticality"] = "vital"
        rows = impact(g, Scenario(suppliers=["S"]))["failed"]
        assert rows.ids() == ["P-B", "P-A", "D-A", "SYS-A", "SYS-B"]
        assert rows.levels() == ["high", "low", "public", None, None]
        assert sorted(rows.ids(), key=lambda n: severity_key(g, n)) == rows.ids()

    def test_a_level_outside_the_vocabulary_ranks_as_none_and_is_shown(self):
        g = small_cut_graph()
        g.nodes["P-A"]["criticality"] = "BIV 3"  # not a value sovmap's validation lets in; set by hand
        rows = impact(g, Scenario(suppliers=["S"]))["failed"]
        assert rows.ids(2) == ["P-B", "P-A"] and rows.levels()[:2] == ["high", "BIV 3"]
        assert rows[1]["criticality"] == "BIV 3"


class TestCutOfASupplier:
    def test_a_subsidiary_added_between_two_reports_is_cut(self):
        """impact() keeps each supplier's subsidiaries with the dependency index: a new owned_by must be seen."""
        g = small_cut_graph()
        g.add_node("S-SUB", kind="supplier", name="sub", country="NL")
        g.add_node("SYS-C", kind="system", name="c")
        g.add_edge("SYS-C", "S-SUB", key="provided_by")
        assert "SYS-C" not in impact(g, Scenario(suppliers=["S"]))["failed"].ids()
        g.add_edge("S-SUB", "S", key="owned_by")
        r = impact(g, Scenario(suppliers=["S"]))
        assert [c["id"] for c in r["cut"]] == ["S", "S-SUB"] and "SYS-C" in r["failed"].ids()
        g.remove_edge("S-SUB", "S", key="owned_by")
        assert [c["id"] for c in impact(g, Scenario(suppliers=["S"]))["cut"]] == ["S"]

    def test_only_a_supplier_is_a_subsidiary(self):
        """owned_by relates suppliers (the ontology's parent_id); a system with one is no subsidiary, by either path."""
        g = small_cut_graph()
        g.add_edge("SYS-B", "S", key="owned_by")
        assert scenario_cut(g, Scenario(suppliers=["S"])) == {"S"}
        assert [c["id"] for c in impact(g, Scenario(suppliers=["S"]))["cut"]] == ["S"]

    def test_an_unknown_supplier_is_reported_before_any_index_is_built(self):
        g = small_cut_graph()
        with pytest.raises(UnknownNodeError, match="S-NONE"):
            impact(g, Scenario(suppliers=["S-NONE"]))
        assert g not in index_cache  # a national index takes seconds to build: not for a typo

    @settings(max_examples=100, deadline=None)
    @given(st.data())
    def test_the_cut_of_a_report_equals_the_scenario_cut(self, data):
        g = data.draw(random_supplier_graphs())
        sups = [n for n, d in g.nodes(data=True) if d["kind"] == "supplier"]
        named = data.draw(st.lists(st.sampled_from(sups), min_size=1, max_size=2, unique=True))
        for include in (True, False):
            sc = Scenario(suppliers=named, include_subsidiaries=include)
            expect = scenario_cut(g, Scenario(**vars(sc)))
            assert {c["id"] for c in impact(g, sc)["cut"]} == expect
