"""graph_diff: nodes and edges added, removed, changed, and the change in non-European single points of failure."""

from __future__ import annotations

import networkx as nx

from sovmap.graph.diff import edge_changes, graph_diff, node_changes, sovereignty_change


def base() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("P-WEB", kind="process", name="Web", criticality="vital")
    g.add_node("P-MAIL", kind="process", name="Mail", criticality="high")
    g.add_node("P-LOW", kind="process", name="Intranet", criticality="low")
    for s in ("SYS-WEB", "SYS-MAIL", "SYS-INTRA"):
        g.add_node(s, kind="system", name=s.title())
    g.add_node("S-US", kind="supplier", name="Kynthos", country="US")
    g.add_node("S-DE", kind="supplier", name="Rijnstroom", country="DE")
    g.add_edge("P-WEB", "SYS-WEB", key="uses")
    g.add_edge("P-MAIL", "SYS-MAIL", key="uses")
    g.add_edge("P-LOW", "SYS-INTRA", key="uses")
    g.add_edge("SYS-WEB", "S-DE", key="provided_by")
    g.add_edge("SYS-MAIL", "S-US", key="provided_by")
    g.add_edge("SYS-INTRA", "S-US", key="provided_by")
    return g


class TestNodeChanges:
    def test_identical_graphs_have_no_changes(self):
        assert node_changes(base(), base()) == {"added": [], "removed": [], "changed": []}

    def test_added_removed_and_changed_nodes_are_listed_by_id(self):
        new = base()
        new.remove_node("P-LOW")
        new.add_node("L-AMS", kind="location", name="Amsterdam", country="NL")
        new.nodes["P-MAIL"]["criticality"] = "vital"
        d = node_changes(base(), new)
        assert d["added"] == ["L-AMS"]
        assert d["removed"] == ["P-LOW"]
        assert d["changed"] == [{"id": "P-MAIL", "kind": "process", "name": "Mail",
                                 "changes": {"criticality": ["high", "vital"]}}]

    def test_an_attribute_emptied_counts_as_a_change_but_none_and_blank_are_alike(self):
        new = base()
        new.nodes["S-US"]["country"] = None
        new.nodes["S-DE"]["lei"] = ""
        d = node_changes(base(), new)
        assert d["changed"] == [{"id": "S-US", "kind": "supplier", "name": "Kynthos",
                                 "changes": {"country": ["US", None]}}]


class TestEdgeChanges:
    def test_a_moved_dependency_is_one_removed_and_one_added_edge(self):
        new = base()
        new.remove_edge("SYS-MAIL", "S-US", key="provided_by")
        new.add_edge("SYS-MAIL", "S-DE", key="provided_by")
        d = edge_changes(base(), new)
        assert d["removed"] == [{"source": "SYS-MAIL", "relation": "provided_by", "target": "S-US",
                                 "required": True, "groups": {}}]
        assert d["added"] == [{"source": "SYS-MAIL", "relation": "provided_by", "target": "S-DE",
                               "required": True, "groups": {}}]
        assert d["changed"] == []

    def test_a_changed_group_is_a_changed_edge(self):
        new = base()
        new.edges["P-WEB", "SYS-WEB", "uses"].update(groups=(("web", 1),))
        d = edge_changes(base(), new)
        assert d["changed"] == [{"source": "P-WEB", "relation": "uses", "target": "SYS-WEB",
                                 "changes": {"groups": [{}, {"web": 1}], "required": [True, False]}}]

    def test_a_dependency_that_also_joins_a_group_is_a_changed_edge(self):
        old = base()
        old.edges["P-WEB", "SYS-WEB", "uses"].update(groups=(("web", 1),))
        new = base()
        new.edges["P-WEB", "SYS-WEB", "uses"].update(required=True, groups=(("web", 1), ("x", 2)))
        d = edge_changes(old, new)
        assert d["changed"] == [{"source": "P-WEB", "relation": "uses", "target": "SYS-WEB",
                                 "changes": {"groups": [{"web": 1}, {"web": 1, "x": 2}], "required": [False, True]}}]


class TestSovereigntyChange:
    def test_moving_a_high_process_to_a_european_supplier_resolves_it(self):
        new = base()
        new.remove_edge("SYS-MAIL", "S-US", key="provided_by")
        new.add_edge("SYS-MAIL", "S-DE", key="provided_by")
        s = sovereignty_change(base(), new)
        assert s["before"] == {"processes": 2, "non_european_spof": 1}
        assert s["after"] == {"processes": 2, "non_european_spof": 0}
        assert s["resolved"] == ["P-MAIL"]
        assert s["new"] == []

    def test_a_vital_process_that_gains_a_us_dependency_is_new(self):
        new = base()
        new.add_edge("SYS-WEB", "S-US", key="operated_by")
        s = sovereignty_change(base(), new)
        assert s["after"]["non_european_spof"] == 2
        assert s["new"] == ["P-WEB"]

    def test_low_processes_do_not_count(self):
        new = base()
        new.remove_edge("SYS-INTRA", "S-US", key="provided_by")
        s = sovereignty_change(base(), new)
        assert s["before"] == s["after"]
        assert s["new"] == s["resolved"] == []

    def test_a_european_subsidiary_of_a_us_parent_is_not_european(self):
        new = base()
        new.add_node("S-IE", kind="supplier", name="Kynthos Ireland", country="IE")
        new.add_edge("S-IE", "S-US", key="owned_by")
        new.remove_edge("SYS-MAIL", "S-US", key="provided_by")
        new.add_edge("SYS-MAIL", "S-IE", key="provided_by")
        assert sovereignty_change(base(), new)["after"]["non_european_spof"] == 1

    def test_a_removed_process_is_resolved(self):
        new = base()
        new.remove_node("P-MAIL")
        s = sovereignty_change(base(), new)
        assert s["after"] == {"processes": 1, "non_european_spof": 0}
        assert s["resolved"] == ["P-MAIL"]


class TestGraphDiff:
    def test_it_holds_nodes_edges_and_sovereignty(self):
        d = graph_diff(base(), base())
        assert set(d) == {"nodes", "edges", "sovereignty"}
        assert d["sovereignty"]["before"] == d["sovereignty"]["after"]
