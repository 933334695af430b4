"""The compiled snapshot of a workspace version: equal to a fresh load, and never used when stale or corrupted."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import sovmap.store.snapshot as snapshot
import sovmap.store.workspace as workspace
from sovmap.graph.concentration import blast_radius, rank_supplier_groups, single_points_of_failure
from sovmap.graph.dependency_index import INDEX_ARRAYS, DependencyIndex, dependency_index
from sovmap.graph.impact import impact
from sovmap.graph.propagation import propagate
from sovmap.graph.model import build_graph
from sovmap.graph.scenarios import Scenario
from sovmap.ingest.synthetic import write_synthetic
from sovmap.cli import app
from sovmap.store import Workspace, WorkspaceError, demo_files
from sovmap.store.snapshot import SnapshotUnsupported, SnapshotUnusable, read_snapshot, write_snapshot
from sovmap.store.workspace import SNAPSHOT_FILE

FIXTURES = Path(__file__).parent / "fixtures"


def assert_same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    """Item by item: nodes and their attributes in order, edges with keys and attributes both ways, in order."""
    assert a.graph == b.graph
    assert list(a.nodes) == list(b.nodes)
    for n in a:
        assert a.nodes[n] == b.nodes[n], n
        assert list(a.nodes[n]) == list(b.nodes[n]), n  # the same key order: tables show columns as found
        assert {k: type(v) for k, v in a.nodes[n].items()} == {k: type(v) for k, v in b.nodes[n].items()}, n
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    for u, v, k, d in b.edges(keys=True, data=True):
        assert list(d) == list(a.edges[u, v, k]), (u, v, k)
        assert b._pred[v][u] is b._succ[u][v]  # one keydict for both directions, as networkx keeps it
    for n in a:
        assert list(a.pred[n]) == list(b.pred[n]), n
    assert a.number_of_edges() == b.number_of_edges()


def files_of(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv"))]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> list[tuple[str, bytes]]:
    folder = tmp_path_factory.mktemp("synthetic3")
    write_synthetic(folder, 3, seed=7)
    return files_of(folder)


def stored(tmp_path: Path, files) -> tuple[Workspace, str, Path]:
    ws = Workspace(tmp_path)
    version, problems = ws.add(files)
    assert version is not None, [str(p) for p in problems[:3]]
    return ws, version.id, version.path / SNAPSHOT_FILE


def fresh(ws: Workspace, vid: str) -> nx.MultiDiGraph:
    """The graph of a version built from its files, as before snapshots."""
    inv, _ = workspace.load_files(ws.files(vid))
    g = build_graph(inv)
    g.graph["version"] = vid
    return g


def without_csv(monkeypatch) -> None:
    """Make any load from the files fail: what loads now comes from the snapshot."""
    def refuse(files):
        raise AssertionError("the version was read from its files, not from its snapshot")
    monkeypatch.setattr(workspace, "load_files", refuse)


class TestRoundTrip:
    @pytest.mark.parametrize("inventory", ["demo", "mini", "ownership", "synthetic"])
    def test_a_reopened_version_equals_a_fresh_load(self, tmp_path, monkeypatch, inventory, synthetic):
        files = {"demo": lambda: demo_files(), "mini": lambda: files_of(FIXTURES / "mini"),
                 "ownership": lambda: files_of(FIXTURES / "ownership"), "synthetic": lambda: synthetic}[inventory]()
        ws, vid, path = stored(tmp_path, files)
        first = ws.load_graph()
        assert path.is_file()
        without_csv(monkeypatch)
        again = ws.load_graph()
        monkeypatch.undo()
        assert_same_graph(fresh(ws, vid), first)
        assert_same_graph(fresh(ws, vid), again)

    @pytest.mark.parametrize("inventory", ["ownership", "mini"])
    def test_co_owner_shares_and_groups_come_back_as_built(self, tmp_path, inventory):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / inventory))
        ws.load_graph()
        g = read_snapshot(path, workspace.snapshot_source(ws.version(vid)))
        shares = [d["share"] for *_, d in g.edges(data=True) if "share" in d]
        groups = [d["groups"] for *_, d in g.edges(data=True) if "groups" in d]
        assert shares or groups
        assert all(type(s) is float for s in shares)
        assert all(type(gs) is tuple and all(type(m) is tuple for m in gs) for gs in groups)

    def test_analyses_answer_the_same_on_a_reopened_graph(self, tmp_path, monkeypatch, synthetic):
        ws, vid, _ = stored(tmp_path, synthetic)
        ws.load_graph()
        without_csv(monkeypatch)
        reopened = ws.load_graph()
        monkeypatch.undo()
        built = fresh(ws, vid)
        blasts = blast_radius(built)
        assert [(b.root, sorted(b.failed)) for b in blasts] == [(b.root, sorted(b.failed)) for b in blast_radius(reopened)]
        assert single_points_of_failure(built) == single_points_of_failure(reopened)
        assert rank_supplier_groups(built) == rank_supplier_groups(reopened)
        biggest = max(blasts, key=lambda b: len(b.failed)).root
        assert impact(built, Scenario(suppliers=[biggest])) == impact(reopened, Scenario(suppliers=[biggest]))


class TestCommandsOnAWorkspace:
    """The analysis commands take a dashboard workspace folder and open its current version from the snapshot."""

    @pytest.mark.parametrize("command", [["spof"], ["rank", "--top", "5"], ["impact", "--supplier", "S-KYN"]])
    def test_a_workspace_answers_as_its_files_do(self, tmp_path, monkeypatch, command):
        ws, vid, path = stored(tmp_path / "ws", files_of(FIXTURES / "mini"))
        ws.load_graph()
        (tmp_path / "inv").mkdir()
        for name, data in files_of(FIXTURES / "mini"):
            (tmp_path / "inv" / name).write_bytes(data)
        runner = CliRunner()
        from_files = runner.invoke(app, [command[0], str(tmp_path / "inv"), "--json", *command[1:]])
        without_csv(monkeypatch)
        from_workspace = runner.invoke(app, [command[0], str(tmp_path / "ws"), "--json", *command[1:]])
        assert from_files.exit_code == 0, from_files.output
        assert from_workspace.exit_code == 0, from_workspace.output
        assert json.loads(from_workspace.stdout) == json.loads(from_files.stdout)

    def test_a_damaged_workspace_version_is_a_clear_error(self, tmp_path):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        stored_file = next((ws.version(vid).path / "files").iterdir())
        stored_file.write_bytes(stored_file.read_bytes() + b"\n")
        result = CliRunner().invoke(app, ["spof", str(tmp_path)])
        assert result.exit_code == 1
        assert "damaged" in result.output and "Traceback" not in result.output


class TestEachEdgeItsOwnDicts:
    """The rebuilt adjacency shares nothing a caller may change: one data dict per edge, one keydict per pair."""

    def test_no_two_edges_or_nodes_share_a_dict(self, tmp_path, synthetic):
        ws, vid, path = stored(tmp_path, synthetic)
        ws.load_graph()
        g = read_snapshot(path, workspace.snapshot_source(ws.version(vid)))
        datas = [d for *_, d in g.edges(keys=True, data=True)]
        keydicts = [kd for nbrs in g._succ.values() for kd in nbrs.values()]
        assert len({id(d) for d in datas}) == len(datas) == g.number_of_edges()
        assert len({id(kd) for kd in keydicts}) == len(keydicts)
        assert len({id(d) for d in g._node.values()}) == len(g)

    def test_changing_one_edge_leaves_the_others_as_they_were(self, tmp_path):
        g = nx.MultiDiGraph()
        for u in ("a", "b", "c"):
            g.add_edge(u, "cloud", key="hosted_at")
        g.add_edge("a", "b", key="uses")
        g.add_edge("a", "b", key="depends_on")
        write_snapshot(g, tmp_path / "g.snapshot", {})
        h = read_snapshot(tmp_path / "g.snapshot", {})
        h.edges["a", "cloud", "hosted_at"]["share"] = 0.5
        h.edges["a", "b", "uses"]["required"] = False
        h.add_edge("b", "cloud", key="uses")
        assert [(u, v, k, d) for u, v, k, d in h.edges(keys=True, data=True) if d] == [
            ("a", "cloud", "hosted_at", {"share": 0.5}), ("a", "b", "uses", {"required": False})]
        assert list(h.succ["a"]["b"]) == ["uses", "depends_on"] and list(h.succ["c"]["cloud"]) == ["hosted_at"]
        assert list(h.pred["cloud"]["b"]) == ["hosted_at", "uses"]


class TestLongLivedInCollections:
    """The graph's inner dicts go straight to the collector's oldest generation (no young collection walks them),
    and nothing is ever kept out of collection for good: a long-running dashboard reopens versions again and
    again, and whatever was alive at one reopen must still be freed when it is dropped later."""

    def graph(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        for i in range(500):
            g.add_edge(f"proc{i}", f"app{i % 50}", key="uses")
            g.add_edge(f"app{i % 50}", f"cloud{i % 7}", key="hosted_at")
        return g

    def test_a_reopened_graph_lands_in_the_oldest_generation(self, tmp_path):
        write_snapshot(self.graph(), tmp_path / "g.snapshot", {})
        g = read_snapshot(tmp_path / "g.snapshot", {})
        oldest = {id(o) for o in gc.get_objects(generation=2)}
        inner = [kd for nbrs in g._succ.values() for kd in nbrs.values()] + list(g._succ.values())
        tracked = [o for o in inner if gc.is_tracked(o)]  # dicts of plain values are never scanned at all
        assert tracked and all(id(o) in oldest for o in tracked)
        assert gc.get_freeze_count() == 0  # nothing kept out of collection for good

    def test_a_graph_alive_at_a_reopen_is_freed_when_dropped_later(self, tmp_path):
        write_snapshot(self.graph(), tmp_path / "g.snapshot", {})
        earlier = read_snapshot(tmp_path / "g.snapshot", {})
        assert len(earlier.nodes) and len(earlier.edges)  # views that refer back to it: a reference cycle
        ref = weakref.ref(earlier)
        later = read_snapshot(tmp_path / "g.snapshot", {})  # the dashboard opens another version
        del earlier
        gc.collect()
        assert ref() is None and len(later.nodes) == 557


def index_arrays(idx: DependencyIndex) -> dict[str, list]:
    return {name: np.asarray(getattr(idx, name)).tolist() for name in INDEX_ARRAYS} | {"ids": idx.ids}


class TestStoredDependencyIndex:
    """The dependency index comes back with the graph, equal to one built afresh, and is dropped when the graph changes."""

    def reopened(self, tmp_path, synthetic) -> tuple[Workspace, str, nx.MultiDiGraph]:
        ws, vid, _ = stored(tmp_path, synthetic)
        ws.load_graph()
        return ws, vid, ws.load_graph()

    def test_a_reopened_graph_brings_an_index_equal_to_a_fresh_one(self, tmp_path, monkeypatch, synthetic):
        ws, vid, g = self.reopened(tmp_path, synthetic)
        built = DependencyIndex.build(fresh(ws, vid))

        def refuse(cls, graph):
            raise AssertionError("the index was built again, not taken from the snapshot")

        monkeypatch.setattr(DependencyIndex, "build", classmethod(refuse))
        attached = dependency_index(g)
        assert dependency_index(g) is attached
        assert index_arrays(attached) == index_arrays(built)
        assert attached.pos == built.pos
        assert len(attached.group_owner) > len(g) // 4  # a real index, not an empty one

    def test_it_answers_as_a_built_one_does(self, tmp_path, synthetic):
        ws, vid, g = self.reopened(tmp_path, synthetic)
        built = fresh(ws, vid)
        for supplier in sorted(n for n, d in built.nodes(data=True) if d.get("kind") == "supplier")[:5]:
            a, b = propagate(g, [supplier]), propagate(built, [supplier])
            assert (sorted(a.failed), sorted(a.degraded)) == (sorted(b.failed), sorted(b.degraded))

    @pytest.mark.parametrize("change", [
        lambda g, s: g.add_edge(sorted(g)[0], s, key="uses"),
        lambda g, s: g.remove_edges_from([(u, v, k) for u, v, k in g.in_edges(s, keys=True)][:1]),
        lambda g, s: g.remove_node(s),
        lambda g, s: g.add_node("new system"),
    ], ids=["edge-added", "edge-removed", "node-removed", "node-added"])
    def test_a_changed_graph_does_not_use_it(self, tmp_path, synthetic, change):
        ws, vid, g = self.reopened(tmp_path, synthetic)
        attached = dependency_index(g)
        supplier = max((n for n, d in g.nodes(data=True) if d.get("kind") == "supplier"), key=g.in_degree)
        change(g, supplier)
        now = dependency_index(g)
        assert now is not attached
        assert index_arrays(now) == index_arrays(DependencyIndex.build(nx.MultiDiGraph(g)))


_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=6) | st.sampled_from(["", "a", "\x00", "é", "\ud800"])
_value = _text | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False) | st.booleans() | st.none()


@st.composite
def graphs(draw) -> nx.MultiDiGraph:
    """Graphs of the shape build_graph makes, with any text and scalar attributes."""
    ids = draw(st.lists(_text, min_size=1, max_size=8, unique=True))
    g = nx.MultiDiGraph(files=draw(st.lists(_text, max_size=3)))
    for n in ids:
        g.add_node(n, **draw(st.dictionaries(_text, _value, max_size=4)))
    for _ in range(draw(st.integers(0, 20))):
        u, v = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        d = {}
        if draw(st.booleans()):
            d["required"] = draw(st.booleans())
            d["groups"] = tuple(draw(st.lists(st.tuples(_text, st.integers(1, 3)), min_size=1, max_size=3)))
        if draw(st.booleans()):
            d["share"] = draw(st.floats(0, 100))
        g.add_edge(u, v, key=draw(st.sampled_from(["uses", "provided_by", "hosted_at", "x"])), **d)
    return g


class TestAnyGraph:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(g=graphs())
    def test_any_graph_of_text_and_scalars_comes_back_equal(self, tmp_path, g):
        path = tmp_path / "g.snapshot"
        write_snapshot(g, path, {"v": 1})
        assert_same_graph(g, read_snapshot(path, {"v": 1}))

    def test_nodes_with_any_number_of_attributes_come_back_in_order(self, tmp_path):
        g = nx.MultiDiGraph()
        for width in range(10):  # each node's attributes in an order of their own, values of every kind
            g.add_node(f"n{width}", **{f"k{(width + j) % 10}": [None, True, 2, 2.5, "x"][j % 5] for j in range(width)})
            g.add_node(f"m{width}", **{f"k{j}": f"v{width}" for j in reversed(range(width))})
        g.add_edge("n1", "m9", key="uses")
        write_snapshot(g, tmp_path / "g.snapshot", {})
        h = read_snapshot(tmp_path / "g.snapshot", {})
        assert_same_graph(g, h)
        assert [list(d.items()) for d in h._node.values()] == [list(d.items()) for d in g._node.values()]

    @pytest.mark.parametrize("change", [
        lambda g: g.add_node("n", tags=("a", "b")),
        lambda g: g.add_node(("tuple", "id")),
        lambda g: g.add_edge("a", "b", key="uses", weight=2),
        lambda g: g.add_edge("a", "b", key=1),
        lambda g: g.add_node("n", size=float("nan")),
        lambda g: g.graph.update(files=("a.csv",)),
    ])
    def test_what_a_snapshot_cannot_keep_exactly_is_refused(self, tmp_path, change):
        g = nx.MultiDiGraph()
        g.add_edge("a", "b", key="uses")
        change(g)
        with pytest.raises(SnapshotUnsupported):
            write_snapshot(g, tmp_path / "g.snapshot", {})
        assert not (tmp_path / "g.snapshot").exists()
        assert not list(tmp_path.iterdir())  # no temporary file left either


def bogus_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(files=["bogus.csv"])
    g.add_node("BOGUS", kind="system", name="Not in the inventory")
    return g


class TestNeverUsedWhenUnusable:
    """A snapshot that does not match is reported by read_snapshot and rebuilt by the workspace."""

    def rebuilt(self, ws: Workspace, vid: str, path: Path) -> None:
        g = ws.load_graph(vid)
        assert "BOGUS" not in g
        assert_same_graph(fresh(ws, vid), g)
        again = read_snapshot(path, workspace.snapshot_source(ws.version(vid)))  # written again, usable now
        again.graph["version"] = vid
        assert_same_graph(fresh(ws, vid), again)

    def test_missing_is_built_and_written(self, tmp_path):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        with pytest.raises(SnapshotUnusable) as exc:
            read_snapshot(path, workspace.snapshot_source(ws.version(vid)))
        assert exc.value.reason == "missing"
        self.rebuilt(ws, vid, path)

    def test_one_built_from_other_files_is_stale(self, tmp_path):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        source = workspace.snapshot_source(ws.version(vid))
        other = json.loads(json.dumps(source))
        other["files"][0][1] = "0" * 64
        write_snapshot(bogus_graph(), path, other)
        with pytest.raises(SnapshotUnusable) as exc:
            read_snapshot(path, source)
        assert exc.value.reason == "stale"
        self.rebuilt(ws, vid, path)

    def test_one_of_another_version_is_stale(self, tmp_path):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        second, _ = ws.add(files_of(FIXTURES / "mini"))  # the same files, another version
        ws.load_graph(second.id)
        path.write_bytes((second.path / SNAPSHOT_FILE).read_bytes())
        with pytest.raises(SnapshotUnusable) as exc:
            read_snapshot(path, workspace.snapshot_source(ws.version(vid)))
        assert exc.value.reason == "stale"
        assert ws.load_graph(vid).graph["version"] == vid

    @pytest.mark.parametrize("setting", ["SNAPSHOT_FORMAT", "__version__"])
    def test_another_format_or_sovmap_version_is_stale(self, tmp_path, monkeypatch, setting):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        monkeypatch.setattr(snapshot, setting, 99 if setting == "SNAPSHOT_FORMAT" else "0.0.0-other")
        write_snapshot(bogus_graph(), path, workspace.snapshot_source(ws.version(vid)))
        monkeypatch.undo()
        with pytest.raises(SnapshotUnusable) as exc:
            read_snapshot(path, workspace.snapshot_source(ws.version(vid)))
        assert exc.value.reason == "stale"
        self.rebuilt(ws, vid, path)

    def test_one_built_by_other_code_is_stale(self, tmp_path, monkeypatch):
        """A snapshot written before sovmap's reading or building changed is rebuilt, even under the same version."""
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        monkeypatch.setattr(snapshot, "builder_fingerprint", lambda: "0" * 64)
        write_snapshot(bogus_graph(), path, workspace.snapshot_source(ws.version(vid)))
        monkeypatch.undo()
        with pytest.raises(SnapshotUnusable) as exc:
            read_snapshot(path, workspace.snapshot_source(ws.version(vid)))
        assert exc.value.reason == "stale" and "other code" in str(exc.value)
        self.rebuilt(ws, vid, path)

    @pytest.mark.parametrize("where", [0, 5, 20, 40, 0.25, 0.5, 0.75, -1])
    def test_a_flipped_byte_is_corruption(self, tmp_path, where):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        ws.load_graph(vid)
        data = bytearray(path.read_bytes())
        i = int(where * len(data)) if isinstance(where, float) else where
        data[i] ^= 0x41
        path.write_bytes(bytes(data))
        with pytest.raises(SnapshotUnusable) as exc:
            read_snapshot(path, workspace.snapshot_source(ws.version(vid)))
        assert exc.value.reason in ("corrupted", "stale")  # a byte of the header may read as another stamp
        self.rebuilt(ws, vid, path)

    @pytest.mark.parametrize("keep", [0, 10, 30, 0.5, -1])
    def test_a_truncated_file_is_corruption(self, tmp_path, keep):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        ws.load_graph(vid)
        data = path.read_bytes()
        path.write_bytes(data[:int(keep * len(data)) if isinstance(keep, float) else keep])
        with pytest.raises(SnapshotUnusable) as exc:
            read_snapshot(path, workspace.snapshot_source(ws.version(vid)))
        assert exc.value.reason == "corrupted"
        self.rebuilt(ws, vid, path)

    def written_with_payload_is_corrupted(self, ws, vid, path, monkeypatch, payload):
        """A snapshot written with ``payload`` instead of the real one is refused as corrupted, then rebuilt."""
        monkeypatch.setattr(snapshot, "_payload", payload)
        write_snapshot(fresh(ws, vid), path, workspace.snapshot_source(ws.version(vid)))
        monkeypatch.undo()
        with pytest.raises(SnapshotUnusable) as exc:
            read_snapshot(path, workspace.snapshot_source(ws.version(vid)))
        assert exc.value.reason == "corrupted"
        self.rebuilt(ws, vid, path)

    @pytest.mark.parametrize("damage", [
        lambda a: a.update(pair_target=a["pair_target"][::-1].copy()),
        lambda a: a.update(pred_pair=np.roll(a["pred_pair"], 1)),
        lambda a: a["node_ids"].__setitem__(1, a["node_ids"][0]),
        lambda a: a["edge_key"].__setitem__(0, -1),
        lambda a: a.update(node_values=a["node_values"][:-1].copy()),
        lambda a: a.pop("edge_key"),
        lambda a: a.update(values=a["values"][:-2].copy()),
        lambda a: a.update(values=np.frombuffer(b"[" * 100_000 + b"]" * 100_000, dtype=np.uint8)),
        lambda a: a.update(layouts=np.frombuffer(b'{"a": 1}', dtype=np.uint8)),
        lambda a: a.update(values=np.frombuffer(b'["a", [1, 2]]', dtype=np.uint8)),
        lambda a: a["index_member_groups"].__setitem__(0, a["index_member_groups"][0] + 1),
        lambda a: a.update(index_member_ptr=a["index_member_ptr"][:-1].copy()),
        lambda a: a.update(index_group_owner=a["index_group_owner"] + len(a["node_ids"])),
        lambda a: a.pop("index_group_size"),
    ], ids=["targets", "incoming", "duplicate-id", "negative", "short", "missing", "json", "deep-json", "not-a-list",
            "value-not-scalar", "index-members", "index-short", "index-owner", "index-missing"])
    def test_consistent_checksum_over_inconsistent_arrays_is_corruption(self, tmp_path, monkeypatch, damage):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        real = snapshot._payload

        def broken(g):  # a writer bug: the arrays disagree, yet the checksum is the file's own
            arrays = {k: v.copy() for k, v in snapshot._unpack(memoryview(real(g))).items()}
            damage(arrays)
            return snapshot._pack(arrays)

        self.written_with_payload_is_corrupted(ws, vid, path, monkeypatch, broken)

    @pytest.mark.parametrize("damage", [
        lambda p: p[:8] + b"{" + p[9:],  # the table of arrays is not JSON
        lambda p: p.replace(b'"<i4"', b'"|O8"', 1),  # an array of objects: never read
        lambda p: p.replace(b'"<i4"', b'"<f8"', 1),  # a type the format does not hold
        lambda p: p + bytes(8),  # bytes after the last array
        lambda p: p[:-4],  # the last array runs past the end
        lambda p: (10 ** 9).to_bytes(8, "little") + p[8:],  # a table longer than the payload
        lambda p: p.replace(b'"node_layout"', b'"node_ids"   ', 1),  # one name twice (the table as long)
    ], ids=["table-json", "objects", "float", "trailing", "short", "table-length", "twice"])
    def test_a_consistent_checksum_over_a_damaged_array_table_is_corruption(self, tmp_path, monkeypatch, damage):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        real = snapshot._payload
        self.written_with_payload_is_corrupted(ws, vid, path, monkeypatch, lambda g: damage(real(g)))

    def test_a_damaged_version_is_refused_even_with_a_good_snapshot(self, tmp_path):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))
        ws.load_graph(vid)
        stored_file = next((ws.version(vid).path / "files").iterdir())
        stored_file.write_bytes(stored_file.read_bytes() + b"\n")
        with pytest.raises(WorkspaceError, match="damaged"):
            ws.load_graph(vid)

    def test_a_folder_that_cannot_be_written_still_opens(self, tmp_path, monkeypatch):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))

        def full(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(workspace, "write_snapshot", full)
        assert_same_graph(fresh(ws, vid), ws.load_graph(vid))
        assert not path.exists()

    def test_a_graph_a_snapshot_cannot_hold_opens_from_its_files(self, tmp_path, monkeypatch):
        ws, vid, path = stored(tmp_path, files_of(FIXTURES / "mini"))

        def unsupported(*args, **kwargs):
            raise SnapshotUnsupported("a value of type list")

        monkeypatch.setattr(workspace, "write_snapshot", unsupported)
        assert_same_graph(fresh(ws, vid), ws.load_graph(vid))
        assert not path.exists()

