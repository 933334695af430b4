"""Acquisition what-if: a supplier bought by another party changes jurisdiction and single points of failure."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.concentration import single_points_of_failure
from sovmap.graph.errors import SovmapError
from sovmap.graph.ownership import chain_countries, is_european
from sovmap.graph.scenarios import country_cut
from sovmap.graph.whatif import acquire, parse_acquisition


def small() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("P", kind="process", name="Belastingen", criticality="vital")
    g.add_node("SYS", kind="system", name="Belastingsysteem")
    g.add_node("S-NL", kind="supplier", name="Rijnstad Hosting", country="NL")
    g.add_node("S-SUB", kind="supplier", name="Rijnstad Zuid", country="NL")
    g.add_node("S-KYN", kind="supplier", name="Kynthos", country="US")
    g.add_edge("P", "SYS", key="uses")
    g.add_edge("SYS", "S-SUB", key="provided_by")
    g.add_edge("S-SUB", "S-NL", key="owned_by")
    return g


def test_a_sale_to_a_country_brings_the_whole_group_under_its_law():
    h = acquire(small(), "S-NL", "US")
    assert chain_countries(h, "S-SUB") == ["NL", "US"] and is_european(h, "S-SUB") is False
    assert country_cut(h, ["US"]) == {"S-KYN", "S-NL", "S-SUB", "acquirer:US"}
    assert country_cut(small(), ["US"]) == {"S-KYN"}
    spofs = single_points_of_failure(h)[0]["single_points_of_failure"]
    assert [s["supplier_group"] for s in spofs] == ["acquirer:US"] and not spofs[0]["european"]


def test_a_sale_to_a_known_supplier_joins_its_group():
    h = acquire(small(), "S-NL", "S-KYN")
    assert [s["supplier_group"] for s in single_points_of_failure(h)[0]["single_points_of_failure"]] == ["S-KYN"]
    before = single_points_of_failure(small())[0]["single_points_of_failure"]
    assert [s["supplier_group"] for s in before] == ["S-NL"] and before[0]["european"]


def test_a_company_cannot_be_bought_by_its_own_subsidiary():
    with pytest.raises(SovmapError, match="cannot buy its own parent"):
        acquire(small(), "S-NL", "S-SUB")


@pytest.mark.parametrize("text", ["S-NL", "=US", "S-NL="])
def test_malformed_acquisition(text):
    with pytest.raises(SovmapError, match="SUPPLIER=PARENT"):
        parse_acquisition(text)


def test_unknown_parent_says_what_is_accepted():
    with pytest.raises(SovmapError, match="neither a supplier id nor a country"):
        acquire(small(), "S-NL", "Atlantis")


def test_cli_shows_what_changes(demo_path):
    runner = CliRunner()
    out = json.loads(runner.invoke(app, ["spof", str(demo_path), "--acquire", "S-RIJN=US", "--json"]).stdout)
    changed = out["whatif"]["new_non_european_spof"]
    assert changed and all(groups == ["acquirer:US"] for groups in changed.values())
    imp = json.loads(runner.invoke(app, ["impact", str(demo_path), "--country", "US", "--acquire", "S-RIJN=US",
                                         "--json"]).stdout)
    assert imp["whatif"]["newly_failed"] and not imp["whatif"]["no_longer_failed"]
    bad = runner.invoke(app, ["rank", str(demo_path), "--acquire", "S-RIJN"])
    assert bad.exit_code == 2
