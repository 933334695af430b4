"""Failure propagation, cut scenarios, single points of failure and ranking on small hand-made graphs."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sovmap.graph import kernel, propagation
from sovmap.graph.concentration import CRITICALITY_WEIGHT, blast_radius, rank_supplier_groups, single_points_of_failure
from sovmap.graph.impact import impact, item, severity_key
from sovmap.graph.model import add_meaning
from sovmap.graph.ownership import supplier_groups
from sovmap.graph.propagation import dependency_index, propagate, reference_fixpoint
from sovmap.graph.scenarios import Scenario, country_cut, supplier_cut


def graph(nodes: dict[str, dict], edges: list[tuple]) -> nx.MultiDiGraph:
    """nodes: id → attrs (kind required); edges: (u, v, rel) or (u, v, rel, group, k), as dependencies rows."""
    g = nx.MultiDiGraph()
    for n, d in nodes.items():
        g.add_node(n, name=n, **d)
    for e in edges:
        if g.has_edge(e[0], e[1], e[2]):
            add_meaning(g.edges[e[0], e[1], e[2]], *e[3:])
        else:
            g.add_edge(e[0], e[1], key=e[2], **({"groups": ((e[3], e[4]),)} if len(e) > 3 else {}))
    return g


SYS = {"kind": "system"}


class TestKOfN:
    def test_two_of_three_survives_one_loss_and_fails_on_two(self):
        g = graph({"V": SYS, "N1": SYS, "N2": SYS, "N3": SYS},
                  [("V", n, "depends_on", "nodes", 2) for n in ("N1", "N2", "N3")])
        one = propagate(g, ["N1"])
        assert one.failed == [] and one.degraded == ["V"]
        two = propagate(g, ["N1", "N2"])
        assert two.failed == ["V"] and two.degraded == []

    def test_a_plain_dependency_is_a_group_of_one(self):
        g = graph({"A": SYS, "B": SYS, "C": SYS}, [("A", "B", "depends_on"), ("A", "C", "depends_on")])
        assert propagate(g, ["C"]).failed == ["A"]

    def test_a_required_dependency_breaks_even_when_alternatives_work(self):
        g = graph({"P": {"kind": "process"}, "A": SYS, "B": SYS, "DB": SYS},
                  [("P", "A", "uses", "g", 1), ("P", "B", "uses", "g", 1), ("P", "DB", "uses")])
        r = propagate(g, ["DB"])
        assert r.failed == ["P"]

    def test_failed_and_degraded_are_separate(self):
        g = graph({"P": {"kind": "process"}, "A": SYS, "B": SYS, "X": SYS},
                  [("P", "A", "uses", "g", 1), ("P", "B", "uses", "g", 1), ("A", "X", "depends_on")])
        r = propagate(g, ["X"])
        assert r.failed == ["A"] and r.degraded == ["P"]
        assert r.chain("P") == ["P", "A", "X"]


class TestCycles:
    def test_nodes_in_a_cycle_stay_up_while_nothing_under_them_fails(self):
        g = graph({"A": SYS, "B": SYS, "C": SYS, "X": SYS, "Y": SYS},
                  [("A", "B", "depends_on"), ("B", "C", "depends_on"), ("C", "A", "depends_on"),
                   ("C", "X", "depends_on")])
        assert propagate(g, ["Y"]).failed == []
        assert sorted(propagate(g, ["X"]).failed) == ["A", "B", "C"]

    def test_cycle_with_an_alternative_outside_keeps_working(self):
        g = graph({"A": SYS, "B": SYS, "X": SYS, "Y": SYS},
                  [("A", "B", "depends_on"), ("B", "A", "depends_on", "g", 1), ("B", "Y", "depends_on", "g", 1),
                   ("A", "X", "depends_on")])
        # X fails → A fails → B loses A but still has Y.
        r = propagate(g, ["X"])
        assert r.failed == ["A"] and r.degraded == ["B"]


class TestOwnership:
    def test_owned_by_does_not_propagate_failure(self):
        g = graph({"S-SUB": {"kind": "supplier"}, "S-PARENT": {"kind": "supplier"}, "A": SYS},
                  [("S-SUB", "S-PARENT", "owned_by"), ("A", "S-SUB", "provided_by")])
        assert propagate(g, ["S-PARENT"]).failed == []

    def test_subsidiaries_are_included_by_default_and_excluded_with_only_entity(self):
        g = graph({"S-SUB": {"kind": "supplier"}, "S-PARENT": {"kind": "supplier"}, "A": SYS},
                  [("S-SUB", "S-PARENT", "owned_by"), ("A", "S-SUB", "provided_by")])
        with_subs = impact(g, Scenario(suppliers=["S-PARENT"]))
        assert [r["id"] for r in with_subs["failed"]] == ["A"]
        alone = impact(g, Scenario(suppliers=["S-PARENT"], include_subsidiaries=False))
        assert alone["failed"] == []

    def test_country_cut_reaches_through_an_ownership_chain(self):
        g = graph({"S-NORD": {"kind": "supplier", "country": "NL"}, "S-HOLD": {"kind": "supplier", "country": "IE"},
                   "S-KYN": {"kind": "supplier", "country": "US"}, "S-EU": {"kind": "supplier", "country": "DE"},
                   "L-NORD": {"kind": "location", "country": "NL"}, "SYS-DIGID": SYS, "SYS-WEB": SYS,
                   "P-WEB": {"kind": "process", "criticality": "vital"}},
                  [("S-NORD", "S-HOLD", "owned_by"), ("S-HOLD", "S-KYN", "owned_by"),
                   ("L-NORD", "S-NORD", "operated_by"), ("SYS-DIGID", "L-NORD", "hosted_at"),
                   ("SYS-WEB", "SYS-DIGID", "depends_on"), ("SYS-WEB", "S-EU", "provided_by"),
                   ("P-WEB", "SYS-WEB", "uses")])
        assert country_cut(g, ["US"]) == {"S-NORD", "S-HOLD", "S-KYN"}
        assert country_cut(g, ["DE"]) == {"S-EU"}
        r = impact(g, Scenario(countries=["us"]))
        p = r["failed"][0]
        assert p["id"] == "P-WEB" and p["criticality"] == "vital"
        assert p["why"] == ["P-WEB", "SYS-WEB", "SYS-DIGID", "L-NORD", "S-NORD"]
        assert p["why_text"].endswith("S-NORD (owned by S-KYN, US)")

    def test_supplier_cut_of_an_unknown_id_says_did_you_mean(self):
        g = graph({"S-KYN": {"kind": "supplier"}}, [])
        try:
            supplier_cut(g, ["S-KYNN"])
        except Exception as exc:  # noqa: BLE001 - asserting the domain error's message
            assert type(exc).__name__ == "UnknownNodeError" and 'Did you mean "S-KYN"?' in str(exc)
        else:
            raise AssertionError("expected an error")


def concentration_graph(shared_cloud: bool) -> nx.MultiDiGraph:
    nodes = {"P": {"kind": "process", "criticality": "vital"}, "A": SYS, "B": SYS,
             "S-A": {"kind": "supplier", "country": "NL"}, "S-B": {"kind": "supplier", "country": "GB"},
             "S-CLOUD": {"kind": "supplier", "country": "US"}, "S-CLOUD-IE": {"kind": "supplier", "country": "IE"},
             "S-EU": {"kind": "supplier", "country": "DE"},
             "L-1": {"kind": "location", "country": "IE"}, "L-2": {"kind": "location", "country": "NL"}}
    edges = [("P", "A", "uses", "alt", 1), ("P", "B", "uses", "alt", 1),
             ("A", "S-A", "provided_by"), ("B", "S-B", "provided_by"),
             ("A", "L-1", "hosted_at"), ("B", "L-2", "hosted_at"),
             ("S-CLOUD-IE", "S-CLOUD", "owned_by"), ("L-1", "S-CLOUD", "operated_by")]
    edges.append(("L-2", "S-CLOUD-IE" if shared_cloud else "S-EU", "operated_by"))
    return graph(nodes, edges)


class TestSinglePointsOfFailure:
    def test_two_alternatives_on_one_cloud_are_not_redundant(self):
        g = concentration_graph(shared_cloud=True)
        spofs = single_points_of_failure(g)[0]["single_points_of_failure"]
        assert [s["supplier_group"] for s in spofs] == ["S-CLOUD"]
        assert spofs[0]["european"] is False and spofs[0]["countries"] == ["IE", "US"]
        assert spofs[0]["members"] == ["S-CLOUD", "S-CLOUD-IE"]

    def test_an_alternative_that_survives_means_no_single_point_of_failure(self):
        g = concentration_graph(shared_cloud=False)
        assert single_points_of_failure(g)[0]["single_points_of_failure"] == []

    def test_only_vital_and_high_processes_by_default(self):
        g = concentration_graph(shared_cloud=True)
        g.nodes["P"]["criticality"] = "low"
        assert single_points_of_failure(g) == []
        assert len(single_points_of_failure(g, ("low",))) == 1

    def test_rank_weighs_vital_above_many_low(self):
        g = graph({"P-V": {"kind": "process", "criticality": "vital"},
                   **{f"P-L{i}": {"kind": "process", "criticality": "low"} for i in range(3)},
                   "A": SYS, "B": SYS, "S-A": {"kind": "supplier", "country": "US"},
                   "S-B": {"kind": "supplier", "country": "NL"}},
                  [("P-V", "A", "uses"), ("A", "S-A", "provided_by"), ("B", "S-B", "provided_by")]
                  + [(f"P-L{i}", "B", "uses") for i in range(3)])
        rows = rank_supplier_groups(g)
        assert [r["supplier_group"] for r in rows] == ["S-A", "S-B"]
        assert rows[0]["failed_processes"] == 1 and rows[1]["failed_processes"] == 3
        assert rows[0]["failed_vital_high"] == 1 and rows[0]["european"] is False

    def test_blast_radius_cuts_each_group_whole(self):
        g = concentration_graph(shared_cloud=True)
        blast = {b.root: set(b.failed) for b in blast_radius(g)}
        assert blast["S-CLOUD"] == {"A", "B", "L-1", "L-2", "P"}
        assert blast["S-A"] == {"A"}


# --- the fast engine agrees with the plain fixpoint on random graphs -----------------

@st.composite
def random_dependency_graphs(draw):
    n = draw(st.integers(2, 14))
    nodes = [f"N{i}" for i in range(n)]
    g = nx.MultiDiGraph()
    for x in nodes:
        g.add_node(x, kind="system", name=x)
    for u in nodes:
        targets = draw(st.lists(st.sampled_from(nodes), max_size=4, unique=True))
        targets = [t for t in targets if t != u]
        grouped = draw(st.lists(st.booleans(), min_size=len(targets), max_size=len(targets)))
        members = [t for t, gflag in zip(targets, grouped) if gflag]
        k = draw(st.integers(1, max(1, len(members))))
        for t, gflag in zip(targets, grouped):
            if gflag:
                g.add_edge(u, t, key="depends_on", groups=(("alt", k),))
            else:
                g.add_edge(u, t, key="depends_on")
        if draw(st.booleans()):
            g.add_edge(u, draw(st.sampled_from(nodes)), key="owned_by")  # never propagates
    cut = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique=True))
    return g, cut


def assert_agrees_with_the_reference(g: nx.MultiDiGraph, cut: list[str], fast) -> None:
    failed, degraded = reference_fixpoint(g, cut)
    assert set(fast.failed) == failed
    assert set(fast.degraded) == degraded
    for n in fast.failed + fast.degraded:
        chain = fast.chain(n)
        assert chain[0] == n and chain[-1] in cut
        assert fast.chain_length(n) == len(chain)
        # every step of the chain is a propagating edge, through failed nodes only
        for a, b in zip(chain, chain[1:]):
            assert any(k != "owned_by" for k in g[a][b])
        assert set(chain[1:-1]) <= failed
        # and it is a shortest such chain
        h = nx.DiGraph((a, b) for a, b, k in g.edges(keys=True)
                       if k != "owned_by" and a in failed | {n} and b in failed | set(cut))
        best = min(nx.shortest_path_length(h, n, c) for c in cut if h.has_node(c) and nx.has_path(h, n, c))
        assert len(chain) - 1 == best


@pytest.fixture(scope="module", params=[True, False], ids=["compiled", "interpreted"])
def kernel_mode(request):
    """Run a test with the kernel compiled by numba, then with the same function run as plain Python."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernel, "JIT", request.param)
        if not request.param:  # never the compiled one: the interpreted function must answer alone
            mp.setattr(kernel, "_compiled", None)
            mp.setattr(kernel, "compiled", lambda: pytest.fail("the interpreted run reached the compiled kernel"))
        yield request.param
    if request.param:
        assert kernel._compiled is not None


@settings(max_examples=300, deadline=None)
@given(random_dependency_graphs())
def test_fast_propagation_equals_the_reference_fixpoint(kernel_mode, case):
    g, cut = case
    assert_agrees_with_the_reference(g, cut, propagate(g, cut))


@settings(max_examples=200, deadline=None)
@given(random_dependency_graphs())
def test_chain_ties_go_to_the_lowest_position_of_the_level_before(kernel_mode, case):
    """Of equally short chains the tree keeps one rule: a node's next node is the lowest index position among
    the failed nodes one level nearer the cut that it depends on (next to the cut: the first cut id in sorted order)."""
    g, cut = case
    r = propagate(g, cut)
    idx = r.index
    depth = {idx.ids[int(p)]: d for d, (a, b) in enumerate(zip(r.tree_levels, r.tree_levels[1:]))
             for p in r.tree_pos[a:b]}
    assert set(depth) == set(r.cut) | set(r.failed) | set(r.degraded)
    failed = set(r.failed) | set(r.cut)
    for n, d in depth.items():
        if d == 0:
            continue
        below = [m for m in g[n] if depth.get(m) == d - 1 and m in failed and any(k != "owned_by" for k in g[n][m])]
        expect = min(below, key=r.cut.index) if d == 1 else min(below, key=idx.pos.__getitem__)
        assert r.chain(n)[1] == expect


@settings(max_examples=100, deadline=None)
@given(random_dependency_graphs(), st.lists(st.lists(st.integers(0, 13), min_size=1, max_size=3), max_size=6),
       st.lists(st.booleans(), min_size=7, max_size=7))
def test_one_index_answers_cut_after_cut(kernel_mode, case, cuts, explain):
    """The scratch arrays kept with the index are clean again after every call, with or without the chain tree."""
    g, first = case
    idx = dependency_index(g)
    nodes = list(g.nodes)
    for cut, why in zip([first] + [[nodes[i % len(nodes)] for i in c] for c in cuts], explain):
        fast = propagate(g, cut, idx, explain=why)
        failed, degraded = reference_fixpoint(g, cut)
        assert set(fast.failed) == failed and set(fast.degraded) == degraded
        assert fast.failed == sorted(fast.failed, key=idx.pos.__getitem__)
        assert fast.degraded == sorted(fast.degraded, key=idx.pos.__getitem__)
        positions = propagation.failed_positions(idx, np.asarray(sorted({idx.pos[c] for c in cut})))
        assert sorted(positions.tolist()) == sorted(idx.pos[n] for n in failed)
        for scratch in idx._pool:
            assert not scratch.state.any() and not scratch.lost.any()


def test_threads_answer_side_by_side(kernel_mode):
    """Calls from several threads at once never share scratch space: each gets the answer it gets alone."""
    rng = random.Random(7)
    g = nx.MultiDiGraph()
    n = 400
    for i in range(n):
        g.add_node(f"N{i}", kind="system", name=f"N{i}")
    for i in range(n):
        for t in rng.sample(range(n), 3):
            if t != i:
                g.add_edge(f"N{i}", f"N{t}", key="depends_on", **({"groups": (("alt", 2),)} if rng.random() < 0.5 else {}))
    cuts = [[f"N{j}" for j in rng.sample(range(n), rng.randint(1, 4))] for _ in range(60)]
    idx = dependency_index(g)
    alone = [(p.failed, p.degraded, [p.chain(x) for x in p.failed]) for p in (propagate(g, c, idx) for c in cuts)]

    def answer(c):
        p = propagate(g, c, idx)
        return p.failed, p.degraded, [p.chain(x) for x in p.failed]

    with ThreadPoolExecutor(8) as pool:
        for _ in range(5):
            assert list(pool.map(answer, cuts)) == alone


# --- spof and rank from the shared blast radius agree with one plain fixpoint per supplier group -----------------

CRITS = ("vital", "high", "medium", "low", None)


@st.composite
def random_supplier_graphs(draw):
    """Processes on systems (k-of-N, cycles), systems on suppliers, suppliers owned by others (groups)."""
    g = nx.MultiDiGraph()
    procs = [f"P{i}" for i in range(draw(st.integers(1, 5)))]
    systems = [f"S{i}" for i in range(draw(st.integers(1, 8)))]
    sups = [f"U{i}" for i in range(draw(st.integers(1, 6)))]
    for p in procs:
        c = draw(st.sampled_from(CRITS))
        g.add_node(p, kind="process", name=p, **({"criticality": c} if c else {}))
    for x in systems:
        g.add_node(x, kind=draw(st.sampled_from(["system", "dataset"])), name=x)
    for u in sups:
        g.add_node(u, kind="supplier", name=u, country=draw(st.sampled_from(["NL", "US", "DE"])))
    for i, u in enumerate(sups[1:], start=1):
        if draw(st.booleans()):
            g.add_edge(u, sups[draw(st.integers(0, i - 1))], key="owned_by")
    for u in procs + systems:
        targets = [t for t in draw(st.lists(st.sampled_from(systems + sups), max_size=4, unique=True)) if t != u]
        grouped = draw(st.lists(st.booleans(), min_size=len(targets), max_size=len(targets)))
        k = draw(st.integers(1, max(1, sum(grouped))))  # k-of-N with k ≤ N
        for t, in_group in zip(targets, grouped):
            rel = "uses" if u in procs else ("provided_by" if t in sups else "depends_on")
            g.add_edge(u, t, key=rel, **({"groups": (("alt", k),)} if in_group else {}))
    return g


@settings(max_examples=150, deadline=None)
@given(random_supplier_graphs())
def test_spof_and_rank_equal_one_fixpoint_per_group(kernel_mode, g):
    groups = supplier_groups(g)
    plain = {root: reference_fixpoint(g, members)[0] for root, members in groups.items()}
    assert {b.root: set(b.failed) for b in blast_radius(g)} == plain
    for row in rank_supplier_groups(g):
        down = plain[row["supplier_group"]]
        crit = [g.nodes[n].get("criticality") for n in down if g.nodes[n]["kind"] == "process"]
        assert row["score"] == sum(CRITICALITY_WEIGHT.get(c, 1) for c in crit)
        assert row["failed_processes"] == len(crit)
        assert row["failed_vital_high"] == sum(c in ("vital", "high") for c in crit)
        assert row["failed_systems"] == sum(g.nodes[n]["kind"] == "system" for n in down)
        assert row["failed_datasets"] == sum(g.nodes[n]["kind"] == "dataset" for n in down)
    for p in single_points_of_failure(g, CRITS):
        assert {s["supplier_group"] for s in p["single_points_of_failure"]} == {r for r, d in plain.items() if p["id"] in d}


@settings(max_examples=150, deadline=None)
@given(random_dependency_graphs(), st.integers(0, 12))
def test_report_rows_built_in_bulk_equal_one_item_at_a_time(case, tail):
    """impact() sorts and builds its rows from arrays; each row equals item() of that node, in severity_key order."""
    g, cut = case
    for i in range(tail):  # a chain long enough to be abbreviated hangs below the first node
        g.add_node(f"T{i}", kind="process" if i % 3 == 0 else "system", name=f"T{i}", criticality="high")
        g.add_edge(f"T{i}", f"T{i - 1}" if i else "N0", key="depends_on")
    r = impact(g, Scenario(systems=cut))
    prop = propagate(g, cut)
    notes: dict[str, str] = {}
    for which in ("failed", "degraded"):
        expect = sorted(getattr(prop, which), key=lambda n: severity_key(g, n))
        assert r[which] == [item(g, n, prop, notes) for n in expect]
