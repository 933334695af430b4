"""Answers on the Neo4j store from less than the whole graph, against a real Neo4j server.

The closure of a cut (sovmap.store.closure) gives the whole graph's impact answer; stored answers
(sovmap.store.answers) equal the ones computed from the inventory.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.coverage import coverage
from sovmap.graph.errors import UnknownNodeError
from sovmap.graph.impact import impact
from sovmap.graph.model import build_graph
from sovmap.graph.policy import default_policy
from sovmap.graph.scenarios import Scenario
from sovmap.ingest.validate import load
from sovmap.store import neo4j as store
from sovmap.store.answers import ANSWERS, compute_answers, coverage_in_store, pack, stored_answer
from sovmap.store.closure import closure_query, cut_graph, ordered

runner = CliRunner()
REACH = default_policy().reach


def answer(g, sc: Scenario) -> dict:
    return impact(g, Scenario(**{**vars(sc), "countries": list(sc.countries)}), REACH)


def fetched(driver, source: str, sc: Scenario, page: int = 20_000) -> dict:
    sub, resolved = cut_graph(driver, source, sc, REACH, page=page)
    return answer(sub, resolved), sub


def small() -> nx.MultiDiGraph:
    """P needs one of A, B (1-of-2) and both of C, D (2-of-2); each system has its own supplier."""
    g = nx.MultiDiGraph()
    g.add_node("P", kind="process", name="Permits", criticality="vital")
    for s, country in [("S-A", "US"), ("S-B", "NL"), ("S-C", "NL"), ("S-D", "DE"), ("S-PARENT", "US")]:
        g.add_node(s, kind="supplier", name=s, country=country)
    for x in "ABCD":
        g.add_node(x, kind="system", name=f"System {x}")
        g.add_edge(x, f"S-{x}", key="provided_by")
    g.add_edge("P", "A", key="uses", groups=(("one", 1),), required=False)
    g.add_edge("P", "B", key="uses", groups=(("one", 1),), required=False)
    g.add_edge("P", "C", key="uses", groups=(("both", 2),), required=False)
    g.add_edge("P", "D", key="uses", groups=(("both", 2),), required=False)
    g.add_edge("S-C", "S-PARENT", key="co_owned_by", share=40.0)
    return g


class TestCutGraph:
    def test_a_group_member_outside_the_closure_still_counts(self, driver):
        g = small()
        store.push(driver, g, "small", derived=False)
        got, sub = fetched(driver, "small", Scenario(suppliers=["S-A"]))
        assert "B" in sub and "B" not in {r["id"] for r in got["failed"] + got["degraded"]}  # fetched, not failed
        assert [r["id"] for r in got["degraded"]] == ["P"] and [r["id"] for r in got["failed"]] == ["A"]
        assert got == answer(ordered(g), Scenario(suppliers=["S-A"]))
        got, _ = fetched(driver, "small", Scenario(suppliers=["S-C"]))
        assert [r["id"] for r in got["failed"]] == ["P", "C"]

    def test_a_country_cut_follows_ownership_outside_the_closure(self, driver):
        g = small()
        store.push(driver, g, "small", derived=False)
        got, _ = fetched(driver, "small", Scenario(countries=["US"]))
        # S-A is registered in the US; S-C is 40% co-owned by a US party: C fails, so P fails (2-of-2)
        assert [r["id"] for r in got["cut"]] == ["S-A", "S-C", "S-PARENT"]
        assert [r["id"] for r in got["failed"]] == ["P", "A", "C"]
        assert "S-PARENT" in got["failed"][2]["why_text"]
        assert got == answer(ordered(g), Scenario(countries=["US"]))

    def test_only_the_closure_is_fetched(self, driver):
        g = small()
        g.add_node("Q", kind="process", name="Elsewhere")
        g.add_node("E", kind="system", name="Unrelated")
        g.add_edge("Q", "E", key="uses")
        g.add_node("L", kind="location", name="Elsewhere", country="NL")
        g.add_edge("B", "L", key="hosted_at")  # required, and L does not depend on S-B: never fails anything
        store.push(driver, g, "small", derived=False)
        _, sub = fetched(driver, "small", Scenario(suppliers=["S-B"]))
        assert {"Q", "E", "L"}.isdisjoint(sub)  # none depends on S-B
        assert {"P", "B", "S-B"} <= set(sub) and {"A", "C", "D"} <= set(sub)  # P's other dependencies count
        assert not sub.out_edges("A")  # A does not depend on S-B: what A needs is not fetched
        assert list(sub.out_edges("B", keys=True)) == [("B", "S-B", "provided_by")]

    def test_a_supplier_named_by_its_name_or_in_another_case_is_found(self, driver):
        from sovmap.cli.ids import resolve_ids

        g = small()
        g.nodes["S-C"]["name"] = "Corvid Hosting"
        store.push(driver, g, "small", derived=False)

        def resolve(parties, sc):
            return Scenario(suppliers=resolve_ids(parties, sc.suppliers, "supplier", by_name=True))

        for typed in ("Corvid Hosting", "s-c", "S-C"):
            sub, sc = cut_graph(driver, "small", Scenario(suppliers=[typed]), REACH, resolve=resolve)
            assert sc.suppliers == ["S-C"] and answer(sub, sc) == answer(ordered(g), Scenario(suppliers=["S-C"]))
        # by id only what the cut needs of the parties; by name every supplier, to resolve it
        assert "S-A" not in cut_graph(driver, "small", Scenario(suppliers=["s-c"]), REACH, resolve=resolve)[0]

    def test_an_unknown_supplier_says_so(self, driver):
        store.push(driver, small(), "small", derived=False)
        with pytest.raises(UnknownNodeError, match="S-NOPE"):
            cut_graph(driver, "small", Scenario(suppliers=["S-NOPE"]), REACH)

    def test_coverage_is_counted_in_neo4j_when_not_stored(self, driver):
        g = small()
        g.add_node("P-NONE", kind="process", name="Unrated", criticality="")
        g.add_node("P-BIV", kind="process", name="Derived", criticality="high", criticality_source="BIV")
        g.add_node("S-NOBODY", kind="supplier", name="No country")
        g.add_node("S-SAID", kind="supplier", name="Said unknown", country="NL", ownership="unknown")
        g.add_node("S-OK", kind="supplier", name="Verified", ownership="verified")
        g.add_node("E", kind="system", name="Orphan")
        store.push(driver, g, "small", derived=False)
        got = coverage_in_store(driver, "small")
        assert got == coverage(g)
        assert (got["processes_without_criticality"], got["processes_criticality_derived"], got["ownership_unknown"],
                got["systems_without_party"]) == (["P-NONE"], ["P-BIV"], ["S-NOBODY", "S-SAID"], ["E"])

    def test_overlapping_closures_come_once_in_pages(self, driver):
        """Cuts whose closures overlap (S-C and C under it): each node once, over several pages, still exact."""
        g = small()
        store.push(driver, g, "small", derived=False)
        tag = store._state(driver, "small", None)["tag"]
        records, _, _ = driver.execute_query(closure_query(), cut=[store._uid("small", tag, x) for x in ("S-C", "C")],
                                             page=2)
        ids = [n for r in records for n in r["nodes"][0]]
        assert sorted(ids) == ["C", "P", "S-C"] and len(records) == 2
        inside = sorted((a, t, b) for r in records for a, t, b, *_ in r["inside"])
        assert inside == [("C", "PROVIDED_BY", "S-C"), ("P", "USES", "C")]  # each relationship once
        grouped = sorted((a, b) for r in records for a, _, b, *_ in r["grouped"])
        assert grouped == [("P", "A"), ("P", "B"), ("P", "C"), ("P", "D")]  # P's members, in the closure or not
        assert [p["id"] for r in records for p in r["whole"]] == ["S-C"]  # a supplier with all its properties
        sc = Scenario(suppliers=["S-C"], systems=["C"])
        got, _ = fetched(driver, "small", sc, page=1)
        assert got == answer(ordered(g), sc) and [r["id"] for r in got["failed"]] == ["P"]  # C is cut itself

    def test_the_cut_travels_as_a_parameter(self):
        assert "$cut" in closure_query() and "'" not in closure_query()


COUNTRIES = ["NL", "DE", "US", "CN", None]


@st.composite
def inventories(draw):
    """A random inventory graph: suppliers with ownership, locations, systems, processes and data sets."""
    g = nx.MultiDiGraph()
    ns, nl, ny, np_, nd = (draw(st.integers(1, 5)), draw(st.integers(0, 2)), draw(st.integers(1, 8)),
                           draw(st.integers(1, 5)), draw(st.integers(0, 3)))
    sup = [f"S{i}" for i in range(ns)]
    loc = [f"L{i}" for i in range(nl)]
    sys_ = [f"Y{i}" for i in range(ny)]
    proc = [f"P{i}" for i in range(np_)]
    data = [f"D{i}" for i in range(nd)]
    for i, s in enumerate(sup):
        attrs = {k: v for k, v in [("country", draw(st.sampled_from(COUNTRIES))),
                                   ("hq_country", draw(st.sampled_from(COUNTRIES)))] if v}
        g.add_node(s, kind="supplier", name=f"Supplier {i}", **attrs)
        if i + 1 < ns and draw(st.booleans()):  # owners come later in the list: no ownership cycles
            rel = draw(st.sampled_from(["owned_by", "co_owned_by"]))
            extra = {"share": draw(st.sampled_from([10.0, 30.0, 60.0]))} if rel == "co_owned_by" else {}
            g.add_edge(s, draw(st.sampled_from(sup[i + 1:])), key=rel, **extra)
    for x in loc:
        g.add_node(x, kind="location", name=x, **({"country": c} if (c := draw(st.sampled_from(COUNTRIES))) else {}))
        g.add_edge(x, draw(st.sampled_from(sup)), key="operated_by")
    for x in sys_:
        g.add_node(x, kind="system", name=x)
    for x in proc:
        g.add_node(x, kind="process", name=x, criticality=draw(st.sampled_from(["vital", "high", "low", ""])))
    for x in data:
        g.add_node(x, kind="dataset", name=x, classification="internal")

    def depend(u, options):
        """Targets of u: each required, or a member of one group with a random k (as build_graph stores them)."""
        targets = draw(st.lists(st.sampled_from(options), max_size=3, unique=True)) if options else []
        targets = [t for t in targets if t[1] != u]
        grouped = [draw(st.booleans()) for _ in targets]
        k = draw(st.integers(1, max(1, sum(grouped))))
        for (rel, t), in_group in zip(targets, grouped):
            if in_group:
                g.add_edge(u, t, key=rel, groups=(("alt", k),), required=draw(st.booleans()))
            else:
                g.add_edge(u, t, key=rel)

    for x in sys_:
        depend(x, [("provided_by", s) for s in sup] + [("hosted_at", lo) for lo in loc]
               + [("depends_on", y) for y in sys_])
    for x in data:
        depend(x, [("stored_in", y) for y in sys_])
    for x in proc:
        depend(x, [("uses", y) for y in sys_ + data] + [("relies_on", p) for p in proc])
    scenario = Scenario(suppliers=draw(st.lists(st.sampled_from(sup), max_size=2, unique=True)),
                        countries=draw(st.lists(st.sampled_from(["US", "CN", "NL"]), max_size=1)),
                        locations=draw(st.lists(st.sampled_from(loc), max_size=1)) if loc else [],
                        systems=draw(st.lists(st.sampled_from(sys_), max_size=1)),
                        include_subsidiaries=draw(st.booleans()))
    return g, scenario


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=inventories(), page=st.integers(1, 4))
def test_the_closure_answers_as_the_whole_graph_does(driver, case, page):
    g, sc = case
    store.push(driver, g, "random", derived=False)
    got, sub = fetched(driver, "random", sc, page)  # small pages: a node's relationships and ends cross pages
    assert got == answer(ordered(g), sc)
    assert sub.number_of_nodes() <= g.number_of_nodes()


# --- stored answers ---------------------------------------------------------------------------------------


def cli_json(*args) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def pushed_demo(driver, neo4j_server, demo_path):
    inv, _ = load(demo_path)
    store.push(driver, build_graph(inv), "demo", "v1")
    return ["--neo4j", neo4j_server.uri, "--source", "demo"]


QUESTIONS = [["spof"], ["spof", "--all"], ["rank"], ["assess"], ["assess", "--details"]]
CUTS = {"S-KYN": Scenario(suppliers=["S-KYN"]), "US": Scenario(countries=["US"])}


def same_impact(on_neo4j: dict, from_files: dict, g: nx.MultiDiGraph, sc: Scenario) -> None:
    """The same rows as the whole graph in id order; the same items and chain lengths as from the files.

    Among equally short why-chains the propagation takes the first in insertion order, which is id order
    for a closure and file order for the files.
    """
    assert on_neo4j == {**json.loads(json.dumps(answer(ordered(g), sc))), "coverage": from_files["coverage"]}
    for key in ("cut", "failed", "degraded"):
        assert ([(r["id"], r.get("chain_length")) for r in on_neo4j[key]]
                == [(r["id"], r.get("chain_length")) for r in from_files[key]])


def test_stored_answers_equal_the_answers_computed_from_the_inventory(driver, pushed_demo, demo_path):
    inv, _ = load(demo_path)
    g = build_graph(inv)
    expected = compute_answers(g)
    for name in ANSWERS:
        assert stored_answer(driver, "demo", name) == expected[name], name
    for q in QUESTIONS:
        assert cli_json(*q, *pushed_demo) == cli_json(*q, str(demo_path)), q
    for q in [*QUESTIONS, ["assess", "--top", "3"], ["assess", "--gaps-only"], ["spof", "--only", "non-european"], ["rank", "--only", "non-european"]]:
        on_neo4j, from_files = runner.invoke(app, [*q, *pushed_demo]), runner.invoke(app, [*q, str(demo_path)])
        assert on_neo4j.exit_code == from_files.exit_code == 0, on_neo4j.output
        assert (on_neo4j.stdout, on_neo4j.stderr) == (from_files.stdout, from_files.stderr), q
    for flag, value in (("--supplier", "S-KYN"), ("--country", "US")):
        same_impact(cli_json("impact", flag, value, *pushed_demo), cli_json("impact", flag, value, str(demo_path)),
                    g, CUTS[value])


def test_a_version_without_stored_answers_is_computed(driver, pushed_demo, demo_path):
    driver.execute_query("MATCH (a:SovmapAnswers) DELETE a")
    assert stored_answer(driver, "demo", "spof") is None
    inv, _ = load(demo_path)
    assert coverage_in_store(driver, "demo") == coverage(build_graph(inv))  # counted in Neo4j
    for q in QUESTIONS:
        assert cli_json(*q, *pushed_demo) == cli_json(*q, str(demo_path)), q
    on_neo4j, from_files = (cli_json("impact", "--supplier", "S-KYN", *where) for where in (pushed_demo, [str(demo_path)]))
    assert on_neo4j["coverage"] == from_files["coverage"]
    assert [(r["id"], r["chain_length"]) for r in on_neo4j["failed"]] == [
        (r["id"], r["chain_length"]) for r in from_files["failed"]]


def test_push_without_answers_stores_none_and_readers_compute(driver, neo4j_server, demo_path):
    """`neo4j push --no-answers` (a faster push of a large graph) leaves readers to compute the same answers."""
    where = ["--neo4j", neo4j_server.uri, "--source", "bare"]
    to = ["--uri", neo4j_server.uri, "--source", "bare"]
    result = runner.invoke(app, ["neo4j", "push", str(demo_path), *to, "--no-answers"])
    assert result.exit_code == 0, result.output
    assert stored_answer(driver, "bare", "spof") is None
    assert cli_json("rank", *where) == cli_json("rank", str(demo_path))
    assert runner.invoke(app, ["neo4j", "push", str(demo_path), *to]).exit_code == 0
    assert stored_answer(driver, "bare", "spof") is not None


def test_stored_answers_are_not_used_for_a_what_if_sale(driver, pushed_demo, demo_path):
    # a planted answer would show if it were read
    driver.execute_query("MATCH (a:SovmapAnswers) SET a.rank = $x", x=pack([]))
    assert cli_json("rank", *pushed_demo)["supplier_groups"] == []
    q = ["rank", "--acquire", "S-POLDER=US"]
    assert cli_json(*q, *pushed_demo) == cli_json(*q, str(demo_path))


def test_a_new_version_replaces_the_stored_answers(driver, pushed_demo):
    g = small()
    store.push(driver, g, "demo", "v2")
    rec, _, _ = driver.execute_query("MATCH (a:SovmapAnswers {_sov_source: 'demo'}) RETURN count(a) AS n")
    assert rec[0]["n"] == 1
    assert stored_answer(driver, "demo", "spof") == compute_answers(g)["spof"]


def test_answers_that_cannot_be_stored_only_warn_after_a_completed_push(monkeypatch):
    from sovmap.store import answers

    def broken(*_):
        raise MemoryError("out of memory")

    monkeypatch.setattr(answers, "compute_answers", broken)
    with pytest.warns(UserWarning, match='answers of "demo" were not stored .*out of memory'):
        assert answers.after_push(None, small(), "demo", "tag") is False
