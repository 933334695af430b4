"""The impact page's tables a page at a time: sorted in bulk, only the shown rows built, every row downloaded."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from sovmap.dashboard import graphview
from sovmap.dashboard.downloads import csv_download
from sovmap.dashboard.impact_table import PAGE_SIZE, LazyTable, page_of, pages, sort_order
from sovmap.dashboard.tables import impact_columns, impact_rows
from sovmap.graph.impact import impact
from sovmap.graph.impact_rows import ImpactRows
from sovmap.graph.scenarios import Scenario

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")


def star(n: int) -> nx.MultiDiGraph:
    """``n`` processes on one system of one supplier; names run against the ids, levels cycle."""
    g = nx.MultiDiGraph()
    g.add_node("S", kind="supplier", name="Kynthos", country="US")
    g.add_node("SYS", kind="system", name="Zaken")
    g.add_edge("SYS", "S", key="provided_by")
    levels = ["low", "vital", "medium", "high"]
    for i in range(n):
        name = f"=cmd|{n - i:04d}" if i == 0 else f"Proces {n - i:04d}"  # a formula-like name to neutralise
        g.add_node(f"P{i:04d}", kind="process", name=name, criticality=levels[i % 4])
        g.add_edge(f"P{i:04d}", "SYS", key="uses")
    return g


@pytest.fixture
def built(monkeypatch):
    """How many rows :class:`ImpactRows` builds."""
    count = [0]
    real = ImpactRows._build

    def counting(self, start, stop):
        count[0] += max(0, stop - start)
        return real(self, start, stop)

    monkeypatch.setattr(ImpactRows, "_build", counting)
    return count


class TestSortOrder:
    def test_kind_keeps_the_reports_order_and_reversed_turns_it(self):
        g = star(6)
        rows = impact(g, Scenario(suppliers=["S"]))["failed"]
        assert list(sort_order(g, rows, "kind")) == list(range(7))
        assert list(sort_order(g, rows, "kind", descending=True)) == list(range(6, -1, -1))

    def test_level_puts_the_most_critical_first_whatever_the_kind(self):
        g = star(8)
        rows = impact(g, Scenario(suppliers=["S"]))["failed"]
        levels = [rows.levels()[i] for i in sort_order(g, rows, "level")]
        assert levels == ["vital", "vital", "high", "high", "medium", "medium", "low", "low", None]

    def test_name_and_id_sort_as_text(self):
        g = star(5)
        rows = impact(g, Scenario(suppliers=["S"]))["failed"]
        ids = rows.ids()
        by_name = [ids[i] for i in sort_order(g, rows, "name")]
        assert [g.nodes[n]["name"] for n in by_name] == sorted((g.nodes[n]["name"] for n in ids), key=str.casefold)
        assert [ids[i] for i in sort_order(g, rows, "id")] == sorted(ids)

    def test_an_unknown_column_is_refused(self):
        g = star(2)
        with pytest.raises(ValueError, match="cannot sort impact rows by 'why'"):
            sort_order(g, impact(g, Scenario(suppliers=["S"]))["failed"], "why")

    def test_sorting_builds_no_row(self, built):
        g = star(50)
        rows = impact(g, Scenario(suppliers=["S"]))["failed"]
        for by in ("kind", "level", "name", "id"):
            sort_order(g, rows, by)
        assert built[0] == 0


class TestPages:
    def test_a_page_builds_only_its_rows_and_reads_as_the_full_table(self, built):
        g = star(450)
        rows = impact(g, Scenario(suppliers=["S"]))["failed"]
        everything = impact_rows(g, list(impact(g, Scenario(suppliers=["S"]))["failed"]), "nl")
        built[0] = 0
        for by in ("kind", "name"):
            order = sort_order(g, rows, by)
            for page in range(pages(len(rows))):
                shown = page_of(g, rows, order, page, PAGE_SIZE, "nl")
                assert shown == [everything[i] for i in order[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]]
        assert pages(len(rows)) == 3 and built[0] == 2 * len(rows)  # each row once per sorting: never all at once

    def test_the_download_holds_every_row_neutralised_and_is_built_only_when_read(self, built):
        g = star(450)
        rows = impact(g, Scenario(suppliers=["S"]))["failed"]
        table = LazyTable(g, rows, "nl")
        assert len(table) == 451 and built[0] == 0
        lines = list(csv.reader(io.StringIO(csv_download(impact_columns("nl"), table, "nl").decode("utf-8-sig")),
                                delimiter=";"))
        assert len(lines) == 1 + 451 and built[0] == 451
        assert [line[1] for line in lines[1:]] == rows.ids()
        assert any(line[2] == "'=cmd|0450" for line in lines)  # a formula-like name is neutralised
        assert table[1:3] == impact_rows(g, rows[1:3], "nl")


class TestImpactView:
    def test_a_large_cut_draws_the_same_view_without_building_every_row(self, built):
        g = star(2500)
        result = impact(g, Scenario(suppliers=["S"]))
        built[0] = 0
        view = graphview.impact_view(g, result, limit=300)
        assert built[0] < len(result["failed"]) // 2
        order = [r["id"] for r in result["cut"]]
        order += [n for r in list(result["failed"]) for n in [r["id"], *reversed(r["why"])]]
        old = graphview._capped(g, list(dict.fromkeys(order)), 300)  # as the page drew it before: every row built
        assert (view.nodes, view.edges, view.omitted_nodes, view.omitted_edges) == (
            old.nodes, old.edges, old.omitted_nodes, old.omitted_edges)
        assert view.omitted_nodes == g.number_of_nodes() - len(view.nodes)
        assert view.omitted_edges == g.number_of_edges() - len(view.edges)


def test_the_page_shows_200_rows_at_a_time_in_the_chosen_order(demo_root, monkeypatch):
    monkeypatch.setenv("SOVMAP_WORKSPACE", str(demo_root))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "nl"
    at.run()
    at.query_params.update({"country": ["US"]})
    at.switch_page("views/impact.py").run()
    assert not at.exception, at.exception
    from sovmap.store import Workspace

    g = Workspace(demo_root).load_graph()
    expected = impact(g, Scenario(countries=["US"]))["failed"]
    n = len(expected)
    assert n > PAGE_SIZE
    assert list(at.dataframe[0].value["id"]) == expected.ids(PAGE_SIZE)
    assert f"Rij 1–200 van {n}; de downloads bevatten alle {n} rijen." in [c.value for c in at.caption]
    at.number_input[0].set_value(2).run()
    assert list(at.dataframe[0].value["id"]) == expected.ids()[PAGE_SIZE:]
    at.selectbox[0].set_value("name").run()
    names = [g.nodes[i].get("name") or i for i in expected.ids()]
    by_name = sorted(names, key=str.casefold)
    assert list(at.dataframe[0].value.iloc[:, 2]) == by_name[PAGE_SIZE:]
    next(x for x in at.toggle if x.label == "Omgekeerd").set_value(True).run()
    assert list(at.dataframe[0].value.iloc[:, 2]) == by_name[::-1][PAGE_SIZE:]
