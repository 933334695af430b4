"""The synthetic national inventory: deterministic, valid, with the structures it promises, linear in size."""

from __future__ import annotations

import json
from collections import Counter

import networkx as nx
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.model import build_graph
from sovmap.graph.ownership import chain_countries, ownership_chain
from sovmap.graph.propagation import propagate, reference_fixpoint
from sovmap.ingest.synthetic import NATIONAL_PLATFORMS, relation_counts, synthetic_tables, write_synthetic
from sovmap.ingest.validate import load
from sovmap.ontology.countries import country
from sovmap.ontology.vocab import vocabulary


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Five organisations written to disk and loaded back: (problems, graph)."""
    folder = tmp_path_factory.mktemp("synthetic5")
    write_synthetic(folder, 5, seed=11)
    inv, problems = load(folder)
    assert inv is not None, [str(p) for p in problems[:5]]
    return problems, build_graph(inv)


def _rows(tables, name):
    header, *rows = tables[name]
    return [dict(zip(header, r)) for r in rows]


class TestSyntheticTables:
    def test_the_same_seed_gives_the_same_tables(self):
        assert synthetic_tables(4, seed=5) == synthetic_tables(4, seed=5)

    def test_another_seed_gives_other_tables(self):
        assert synthetic_tables(4, seed=5)["systems"] != synthetic_tables(4, seed=6)["systems"]

    def test_headers_are_the_vocabularys_canonical_columns(self):
        v = vocabulary()
        tables = synthetic_tables(1)
        optional = {"contract"}  # files the generator does not write
        assert {k.files[0] for k in v.file_kinds if k.id not in optional} | {v.dependency_files[0]} == set(tables)
        for k in v.file_kinds:
            if k.id not in optional:
                assert tables[k.files[0]][0] == [c.key for c in k.columns]
        assert tables[v.dependency_files[0]][0] == [c.key for c in v.dependency_columns]

    def test_fewer_than_one_organisation_is_refused(self):
        with pytest.raises(ValueError, match="organisations must be at least 1, not 0"):
            synthetic_tables(0)

    def test_size_grows_linearly_with_the_number_of_organisations(self):
        c20 = relation_counts(synthetic_tables(20, seed=2))
        c40 = relation_counts(synthetic_tables(40, seed=2))
        assert 1.8 < c40["items"] / c20["items"] < 2.2
        assert 1.8 < c40["dependency_relations"] / c20["dependency_relations"] < 2.2
        # about 400 items and 1,000 dependency relations per organisation: 600k and 1.5M nationally
        assert 300 < c40["items"] / 40 < 500
        assert 750 < c40["dependency_relations"] / 40 < 1450

    def test_market_share_is_skewed(self):
        systems = _rows(synthetic_tables(20, seed=2), "systems")
        share = sorted(Counter(r["supplier_id"] for r in systems if r["supplier_id"]).values(), reverse=True)
        assert share[0] > 20 * share[len(share) // 2]
        assert share[0] / len(systems) > 0.05


class TestSmallInventory:
    def test_it_loads_without_any_problem(self, small):
        problems, _ = small
        assert problems == []

    def test_ownership_chains_run_from_eu_subsidiaries_to_parents_outside_the_eea(self, small):
        _, g = small
        suppliers = [n for n, k in g.nodes(data="kind") if k == "supplier"]
        chains = [ownership_chain(g, s) for s in suppliers]
        assert max(len(c) for c in chains) == 4
        foreign = {country(chain_countries(g, c[0])[-1]).code for c in chains
                   if len(c) >= 3 and country(g.nodes[c[0]]["country"]).eea
                   and not country(g.nodes[c[-1]]["country"]).eea}
        assert {"US", "CN", "GB", "CH"} <= foreign

    def test_some_groups_need_two_of_three(self, small):
        _, g = small
        groups = Counter((u, name, k) for u, _, d in g.edges(data=True) for name, k in d.get("groups", ()))
        assert any(k == 2 and n == 3 for (_, _, k), n in groups.items())
        assert any(k == 1 and n == 2 for (_, _, k), n in groups.items())

    def test_systems_depend_on_each_other_in_cycles(self, small):
        _, g = small
        deps = nx.DiGraph((u, v) for u, v, k in g.edges(keys=True) if k == "depends_on")
        cycles = [c for c in nx.simple_cycles(deps, length_bound=3)]
        assert {"SYS-NAT-IDP", "SYS-NAT-MSG"} in [set(c) for c in cycles]
        assert sum(len(c) == 2 for c in cycles) > 5 and any(len(c) == 3 for c in cycles)

    def test_shared_platforms_are_used_by_every_organisation(self, small):
        _, g = small
        orgs = {n for n, k in g.nodes(data="kind") if k == "organisation"}
        users = set()
        for u, _, k in g.in_edges("SYS-NAT-IDP", keys=True):
            users |= {o for _, o, r in g.out_edges(u, keys=True) if r == "belongs_to"}
        assert users == orgs
        assert {p[0] for p in NATIONAL_PLATFORMS} <= set(g)

    def test_locations_are_data_centres_in_several_countries_run_by_suppliers(self, small):
        _, g = small
        operated = [n for n, k in g.nodes(data="kind") if k == "location"
                    and any(r == "operated_by" for _, _, r in g.out_edges(n, keys=True))]
        assert len({g.nodes[n]["country"] for n in operated}) >= 4

    def test_processes_and_data_sets_carry_their_levels(self, small):
        _, g = small
        crit = Counter(d.get("criticality") for _, d in g.nodes(data=True) if d["kind"] == "process")
        assert set(crit) == {"vital", "high", "medium", "low"}
        personal = Counter(d.get("personal_data") for _, d in g.nodes(data=True) if d["kind"] == "dataset")
        assert set(personal) == {"none", "personal", "special"}

    def test_a_database_cluster_survives_one_node_and_fails_with_two(self, small):
        _, g = small
        def quorum(d):
            return "quorum" in dict(d.get("groups", ()))

        cluster, nodes = next((u, [t for _, t, d in g.out_edges(u, data=True) if quorum(d)])
                              for u in g if any(quorum(d) for _, _, d in g.out_edges(u, data=True)))
        one = propagate(g, nodes[:1])
        assert cluster in one.degraded and cluster not in one.failed
        two = propagate(g, nodes[:2])
        assert cluster in two.failed
        assert two.chain(cluster)[0] == cluster and two.chain(cluster)[-1] in nodes[:2]

    def test_propagation_agrees_with_the_plain_fixpoint_for_supplier_cuts(self, small):
        _, g = small
        share = Counter(t for _, t, k in g.edges(keys=True) if k == "provided_by")
        for s, _ in share.most_common()[::7]:
            failed, degraded = reference_fixpoint(g, [s])
            r = propagate(g, [s])
            assert (set(r.failed), set(r.degraded)) == (failed, degraded)
            assert r.failed == sorted(r.failed, key=r.index.pos.get)


class TestGenerateCommand:
    def test_it_writes_a_valid_inventory_and_reports_its_size(self, tmp_path):
        out = tmp_path / "national"
        result = CliRunner().invoke(app, ["generate", "-n", "2", "-o", str(out), "--seed", "3", "--json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["rows"]["organisations.csv"] == 2
        assert report["items"] == sum(n for f, n in report["rows"].items() if f != "dependencies.csv")
        assert sorted(p.name for p in out.iterdir()) == sorted(report["rows"])
        inv, problems = load(out)
        assert inv is not None and problems == []

    def test_it_refuses_a_folder_that_is_not_empty(self, tmp_path):
        (tmp_path / "notes.txt").write_text("mine")
        result = CliRunner().invoke(app, ["generate", "-n", "1", "-o", str(tmp_path)])
        assert result.exit_code == 2
        assert "not an empty folder" in result.output
        assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
