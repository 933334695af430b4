"""graph/paths.py: the layered chain view, shortest chains with their redundancy, and aggregation."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from sovmap.graph.errors import UnknownNodeError
from sovmap.graph.model import build_graph
from sovmap.graph.paths import chain_highlight, chain_view, shortest_chains
from sovmap.ingest.validate import load_files
from sovmap.store import demo_files

CHAIN5 = Path(__file__).parent / "fixtures" / "chain5"


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    inv, problems = load_files([(p.name, p.read_bytes()) for p in sorted(CHAIN5.glob("*.csv"))])
    assert not problems
    return build_graph(inv)


@pytest.fixture(scope="module")
def demo() -> nx.MultiDiGraph:
    inv, _ = load_files(demo_files())
    return build_graph(inv)


class TestChainView:
    def test_the_default_depth_reaches_the_ultimate_owner_and_its_country(self, g):
        v = chain_view(g, "P-AANVRAAG")
        chain = ["P-AANVRAAG", "SYS-PORTAAL", "SYS-ZAAK", "L-DUB", "S-NORD", "S-KYN", "country:US"]
        assert set(chain) <= set(v.ids)
        layers = [v.node(n).layer for n in chain]
        assert layers == sorted(layers) and len(set(layers)) == len(layers)  # each step one column further right
        edges = {(e.source, e.target) for e in v.edges}
        assert all((a, b) in edges for a, b in zip(chain, chain[1:]))

    def test_columns_count_from_the_focus(self, g):
        assert [(n.id, n.layer) for n in chain_view(g, "S-NORD").nodes] == [
            ("S-NORD", 0), ("S-KYN", 1), ("country:US", 2)]

    def test_hubs_are_badges_not_nodes(self, g):
        v = chain_view(g, "P-AANVRAAG")
        assert "ORG-GEM" not in v.ids and "country:IE" not in v.ids
        assert v.node("P-AANVRAAG").badges == ("ORG-GEM",)
        assert v.node("L-DUB").badges == ("country:IE",)
        assert v.node("S-NORD").badges == ("country:NL",)  # a subsidiary's country: a badge; the owner's: a node
        assert "country:US" not in v.node("S-KYN").badges

    def test_alternatives_meet_in_a_junction(self, g):
        v = chain_view(g, "P-AANVRAAG")
        j = v.node("junction:P-AANVRAAG:sms")
        assert (j.kind, j.label, j.members) == ("junction", "1 / 2", ("SYS-SMS-A", "SYS-SMS-B"))
        edges = {(e.source, e.target): e for e in v.edges}
        assert ("P-AANVRAAG", "SYS-SMS-A") not in edges
        assert edges[("P-AANVRAAG", j.id)].groups == (("sms", 1, 2),)
        assert not edges[(j.id, "SYS-SMS-B")].required

    def test_depth_stops_the_walk_and_says_so(self, g):
        v = chain_view(g, "P-AANVRAAG", depth=2)
        assert "L-DUB" not in v.ids and "SYS-ZAAK" in v.ids and v.truncated_at_depth
        assert not chain_view(g, "P-AANVRAAG").truncated_at_depth

    def test_up_shows_what_depends_on_the_owner_through_its_subsidiary(self, g):
        v = chain_view(g, "S-KYN", "up")
        assert {"S-NORD", "L-DUB", "SYS-ZAAK", "SYS-PORTAAL", "P-AANVRAAG", "SYS-SMS-A"} <= set(v.ids)
        assert "S-TELCO" not in v.ids and "SYS-SMS-B" not in v.ids
        assert v.node("S-KYN").layer == 0 and v.node("S-NORD").layer == 1

    def test_expanding_adds_every_neighbour_even_a_hub(self, g):
        v = chain_view(g, "SYS-ZAAK", expanded=["SYS-ZAAK"])
        assert {"SYS-PORTAAL", "ORG-GEM"} <= set(v.ids)
        assert ("SYS-ZAAK", "ORG-GEM") in {(e.source, e.target) for e in v.edges}
        assert not {"SYS-PORTAAL", "ORG-GEM"} & set(chain_view(g, "SYS-ZAAK").ids)

    def test_bad_input_is_named(self, g):
        with pytest.raises(UnknownNodeError, match='"P-AANVRAGE" is not a known node id. Did you mean "P-AANVRAAG"'):
            chain_view(g, "P-AANVRAGE")
        with pytest.raises(ValueError, match="direction must be 'down' or 'up'"):
            chain_view(g, "P-AANVRAAG", "sideways")

    def test_a_large_view_is_aggregated_with_counts(self, demo):
        top = max((n for n, k in demo.nodes(data="kind") if k == "supplier"),
                  key=lambda n: len(chain_view(demo, n, "up").nodes))
        full = chain_view(demo, top, "up", max_nodes=10_000)
        small = chain_view(demo, top, "up", max_nodes=20)
        assert len(full.nodes) > 20 >= len(small.nodes) and small.aggregated and not full.aggregated
        aggregates = [n for n in small.nodes if n.kind == "aggregate"]
        drawn = {n.id for n in small.nodes if n.kind != "aggregate"}
        assert sum(a.count for a in aggregates) + len(drawn) == len(full.nodes)
        assert all(a.label == str(a.count) == str(len(a.members)) for a in aggregates)
        ids = set(small.ids)
        assert all(e.source in ids and e.target in ids for e in small.edges)


    def test_an_unfolded_aggregate_shows_its_members(self, demo):
        top = max((n for n, k in demo.nodes(data="kind") if k == "supplier"),
                  key=lambda n: len(chain_view(demo, n, "up").nodes))
        small = chain_view(demo, top, "up", max_nodes=20)
        biggest = max((n for n in small.nodes if n.kind == "aggregate"), key=lambda n: n.count)
        opened = chain_view(demo, top, "up", max_nodes=20, unfolded=biggest.members)
        assert set(biggest.members) <= set(opened.ids) and biggest.id not in opened.ids
        assert all(biggest.members[0] not in n.members for n in opened.nodes if n.kind == "aggregate")


class TestShortestChains:
    def test_every_shortest_chain_with_its_redundancy(self, g):
        chains = shortest_chains(g, "P-AANVRAAG", "S-NORD")
        assert [c.nodes for c in chains] == [["P-AANVRAAG", "SYS-SMS-A", "S-NORD"]]
        assert chains[0].redundant_steps == [0]
        assert chains[0].steps[0].groups == (("sms", 1, 2),)

    def test_two_equally_short_chains_are_both_returned(self):
        g = nx.MultiDiGraph()
        for u, v in [("P", "A"), ("P", "B"), ("A", "S"), ("B", "S"), ("P", "C"), ("C", "D"), ("D", "S")]:
            g.add_edge(u, v, key="uses")
        nx.set_node_attributes(g, "system", "kind")
        assert [c.nodes for c in shortest_chains(g, "P", "S")] == [["P", "A", "S"], ["P", "B", "S"]]
        assert all(not c.redundant_steps for c in shortest_chains(g, "P", "S"))

    def test_the_owner_and_its_country_are_reached(self, g):
        assert [c.nodes for c in shortest_chains(g, "P-AANVRAAG", "country:US")] == [
            ["P-AANVRAAG", "SYS-SMS-A", "S-NORD", "S-KYN", "country:US"]]

    def test_a_country_is_reached_through_a_location_or_a_subsidiary_in_it(self, g):
        assert [c.nodes for c in shortest_chains(g, "P-AANVRAAG", "country:IE")] == [
            ["P-AANVRAAG", "SYS-PORTAAL", "SYS-ZAAK", "L-DUB", "country:IE"]]
        assert [c.nodes for c in shortest_chains(g, "P-AANVRAAG", "country:NL")] == [
            ["P-AANVRAAG", "SYS-PORTAAL", "S-TELCO", "country:NL"], ["P-AANVRAAG", "SYS-SMS-A", "S-NORD", "country:NL"],
            ["P-AANVRAAG", "SYS-SMS-B", "S-TELCO", "country:NL"]]

    def test_against_the_dependency_direction_there_is_no_chain(self, g):
        assert shortest_chains(g, "S-NORD", "P-AANVRAAG") == []

    def test_highlight_runs_through_the_junction(self, g):
        v = chain_view(g, "P-AANVRAAG")
        nodes, edges = chain_highlight(v, shortest_chains(g, "P-AANVRAAG", "S-NORD"))
        j = "junction:P-AANVRAAG:sms"
        assert nodes == {"P-AANVRAAG", j, "SYS-SMS-A", "S-NORD"}
        assert edges == {("P-AANVRAAG", j), (j, "SYS-SMS-A"), ("SYS-SMS-A", "S-NORD")}
