"""Hostile shapes and names: long cycles, deep chains, many typos, control characters, a crash, a big export.

Speed is measured in bench/bench_adversarial.py; these tests assert the answers and the size of the output.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyshacl
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from sovmap.cli import INTERNAL_ERROR, app
from sovmap.graph.model import build_graph
from sovmap.graph.propagation import CHAIN_HEAD, CHAIN_TAIL, propagate
from sovmap.graph.rdf import to_rdf
from sovmap.graph.rdf_stream import write_jsonld, write_turtle
from sovmap.ingest.validate import load
from sovmap.ontology.shapes import packaged_shapes
from sovmap.ontology.vocab import ontology_graph
from tests.conftest import write_inventory

runner = CliRunner()


def run(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def cycle_inventory(folder: Path, n: int) -> Path:
    """SYS-1 → SYS-2 → … → SYS-n → SYS-1, P-1 uses SYS-1, S-CUT provides SYS-1."""
    systems = "".join(f"SYS-{i},System {i},{'S-CUT' if i == 1 else ''},L-1\n" for i in range(1, n + 1))
    deps = "".join(f"SYS-{i},SYS-{i % n + 1},depends_on\n" for i in range(1, n + 1))
    return write_inventory(folder, {
        "suppliers.csv": "id,name,country\nS-CUT,Cut Inc,US\n",
        "locations.csv": "id,name,country\nL-1,Datacentre,NL\n",
        "processes.csv": "id,name,criticality\nP-1,Process,vital\n",
        "systems.csv": "id,name,supplier_id,location_id\n" + systems,
        "dependencies.csv": "from_id,to_id,type\nP-1,SYS-1,uses\n" + deps,
    })


class TestWhyChains:
    def test_a_cycle_of_20000_systems_is_answered_with_bounded_output(self, tmp_path):
        n = 20_000
        path = cycle_inventory(tmp_path, n)
        out = run("impact", path, "--supplier", "S-CUT", "--json")
        assert out.exit_code == 0, out.output
        failed = {r["id"]: r for r in json.loads(out.stdout)["failed"]}
        assert len(failed) == n + 1
        # SYS-i's shortest chain runs SYS-i … SYS-n, SYS-1, S-CUT: n - i + 3 ids.
        for i in (2, 5, 9_999, n - 6):
            row = failed[f"SYS-{i}"]
            assert row["chain_length"] == n - i + 3
            assert row["why"] == [f"SYS-{i}", f"SYS-{i + 1}", f"SYS-{i + 2}", f"SYS-{n}", "SYS-1", "S-CUT"]
            assert row["why_skipped"] == n - i + 3 - CHAIN_HEAD - CHAIN_TAIL
        short = failed[f"SYS-{n - 5}"]  # 8 ids: shown whole
        assert short["why"] == [f"SYS-{i}" for i in range(n - 5, n + 1)] + ["SYS-1", "S-CUT"]
        assert "why_skipped" not in short
        assert failed["P-1"]["why"] == ["P-1", "SYS-1", "S-CUT"] and failed["P-1"]["chain_length"] == 3
        text = run("impact", path, "--supplier", "S-CUT", "--details")
        assert text.exit_code == 0
        assert f"SYS-2 → SYS-3 → SYS-4 → … {n - 5:,} more … → SYS-{n} → SYS-1 → S-CUT (US)" in text.stdout
        # Full chains would print about n²/2 ids (over 2 GB); abbreviated, every failed item takes one bounded line pair.
        assert len(text.stdout) < 200 * (n + 1)
        assert len(out.stdout) < 500 * (n + 1)

    def test_full_chains_on_request(self, tmp_path):
        path = cycle_inventory(tmp_path, 30)
        out = json.loads(run("impact", path, "--supplier", "S-CUT", "--json", "--full-chains").stdout)
        row = next(r for r in out["failed"] if r["id"] == "SYS-2")
        assert row["why"] == [f"SYS-{i}" for i in range(2, 31)] + ["SYS-1", "S-CUT"]
        assert row["chain_length"] == len(row["why"]) and "why_skipped" not in row

    @pytest.mark.parametrize("seed", range(5))
    def test_brief_chains_are_the_ends_of_the_full_chains(self, seed):
        rnd = random.Random(seed)
        g = nx.MultiDiGraph()
        g.add_nodes_from(range(300), kind="system", name="")
        for u in range(300):
            for _ in range(rnd.randint(1, 2)):
                g.add_edge(u, rnd.randrange(300), key="depends_on")
        g.remove_edges_from(list(nx.selfloop_edges(g, keys=True)))
        prop = propagate(g, [0, 1])
        for node in rnd.sample(prop.failed, min(100, len(prop.failed))):
            full = prop.chain(node)
            shown, skipped = prop.brief_chain(node)
            assert prop.chain_length(node) == len(full) == len(shown) + skipped
            if skipped:
                assert shown == full[:CHAIN_HEAD] + full[-CHAIN_TAIL:]
            else:
                assert shown == full


class TestValidationScales:
    def test_a_5000_deep_owner_chain_is_valid(self, tmp_path):
        n = 5_000
        rows = "".join(f"S-{i},Supplier {i},NL,{f'S-{i + 1}' if i < n else ''}\n" for i in range(n + 1))
        inv, problems = load(write_inventory(tmp_path, {"suppliers.csv": "id,name,country,parent_id\n" + rows}))
        assert inv is not None and not [p for p in problems if p.rule == "parent-cycle"]
        assert sum(e.relation == "owned_by" for e in inv.edges) == n

    def test_a_long_circle_of_owners_is_reported_once_abbreviated(self, tmp_path):
        n = 5_000
        rows = "".join(f"S-{i},Supplier {i},S-{(i + 1) % n}\n" for i in range(n))
        tail = "".join(f"T-{i},Tail {i},{f'T-{i + 1}' if i < 99 else 'S-7'}\n" for i in range(100))  # runs into it
        _, problems = load(write_inventory(tmp_path, {"suppliers.csv": "id,name,parent_id\n" + rows + tail}))
        cycles = [p for p in problems if p.rule == "parent-cycle"]
        assert len(cycles) == 1
        p = cycles[0]
        assert (p.file, p.line, p.value) == ("suppliers.csv", 2, "S-1")
        assert p.message == (f"The parents run in a circle: S-0 → S-1 → S-2 → … {n - 5:,} more … → "
                             f"S-{n - 2} → S-{n - 1} → S-0 ({n:,} members).")

    def test_200_typos_among_100000_ids_get_the_meant_id(self, tmp_path):
        ids = [f"SYS-{hashlib.sha1(str(i).encode()).hexdigest()[:10].upper()}" for i in range(100_000)]
        pairs = []
        for k in range(200):
            meant = ids[k * 500]
            j = 4 + k % 9
            while meant[j] == meant[j + 1]:
                j = 4 + (j - 3) % 9
            pairs.append((meant[:j] + meant[j + 1] + meant[j] + meant[j + 2:], meant))
        path = write_inventory(tmp_path, {
            "suppliers.csv": "id,name,country\nS-1,Supplier,NL\n",
            "processes.csv": "id,name\nP-1,Process\n",
            "systems.csv": "id,name,supplier_id\n" + "".join(f"{i},System,S-1\n" for i in ids),
            "dependencies.csv": "from_id,to_id,type\n" + "".join(f"P-1,{bad},uses\n" for bad, _ in pairs),
        })
        inv, problems = load(path)
        unknown = {p.value: p.hint for p in problems if p.rule == "unknown-reference"}
        assert inv is None and len(unknown) == 200
        assert {bad: unknown[bad] for bad, _ in pairs} == {bad: f'Did you mean "{meant}"?' for bad, meant in pairs}


class TestCliGuard:
    def test_an_unexpected_exception_is_one_line_and_exit_3(self, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("the index is\nbroken")

        monkeypatch.setattr("sovmap.cli.analysis.impact_of", broken)
        monkeypatch.delenv("SOVMAP_DEBUG", raising=False)
        out = run("impact", "--demo", "--supplier", "S-KYN")
        assert out.exit_code == INTERNAL_ERROR == 3
        assert out.stdout == ""
        assert out.stderr == ("sovmap: internal error: RuntimeError: the index is broken — "
                              "run again with --debug (or SOVMAP_DEBUG=1) for details.\n")
        assert "Traceback" not in out.output

    @pytest.mark.parametrize("how", ["option", "env"])
    def test_debug_shows_the_exception(self, monkeypatch, how):
        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr("sovmap.cli.analysis.impact_of", broken)
        args = ["--debug"] if how == "option" else []
        out = run(*args, "impact", "--demo", "--supplier", "S-KYN", env={"SOVMAP_DEBUG": "1"} if how == "env" else {})
        assert isinstance(out.exception, RuntimeError) and str(out.exception) == "boom"

    def test_a_reader_that_stops_early_gets_no_traceback(self, tmp_path):
        path = cycle_inventory(tmp_path, 3_000)  # far more output than a pipe holds
        script = Path(sys.executable).parent / "sovmap"
        proc = subprocess.Popen([script, "impact", path, "--supplier", "S-CUT"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        assert proc.stdout.readline().startswith(b"Scenario:")
        proc.stdout.close()  # as `| head -1` does
        stderr = proc.stderr.read()
        assert proc.wait(timeout=120) == 141 and b"Traceback" not in stderr and b"internal error" not in stderr

    def test_usage_errors_keep_their_exit_code(self):
        out = run("impact", "--demo", "--supplier", "S-KYNN")
        assert out.exit_code == 2 and 'Did you mean "S-KYN"?' in out.stderr and "internal error" not in out.output


HOSTILE = "Kynthos\x1b[2J\x1b]0;owned\x07 \x9b31m Cloud\u202e"


def hostile_inventory(folder: Path) -> Path:
    return write_inventory(folder, {
        "suppliers.csv": f'id,name,country\nS-X,"{HOSTILE}",US\n',
        "processes.csv": 'id,name,criticality\nP-1,"Line\rone",vital\n',
        "systems.csv": "id,name,supplier_id\nSYS-1,Mail\x1b[8m,S-X\n",
        "dependencies.csv": "from_id,to_id,type\nP-1,SYS-1,uses\n",
    })


class TestTerminalAndXmlSafety:
    def test_control_characters_in_names_are_escaped_in_text_output(self, tmp_path):
        path = hostile_inventory(tmp_path)
        for args in (["impact", path, "--supplier", "S-X"], ["impact", path, "--supplier", "S-X", "--details"],
                     ["show", path], ["spof", path], ["spof", path, "--details"]):
            out = run(*args)
            assert out.exit_code == 0, out.output
            for c in "\x1b\x07\x9b\r\u202e":
                assert c not in out.output, (args, c)
        impact = run("impact", path, "--supplier", "S-X", "--details").stdout
        assert "Mail\\u001b[8m" in impact and "Line\\u000done" in impact

    def test_control_characters_in_problem_values_are_escaped(self, tmp_path):
        path = write_inventory(tmp_path, {"systems.csv": "id,name,supplier_id\nSYS-1,Mail,S-\x1b[31mX\n"})
        out = run("validate", path)
        assert out.exit_code == 1 and "\x1b" not in out.output and '"S-\\u001b[31mX"' in out.output

    def test_json_output_stays_valid_and_exact(self, tmp_path):
        path = hostile_inventory(tmp_path)
        out = run("impact", path, "--supplier", "S-X", "--json")
        assert "\x9b" not in out.stdout and "\u202e" not in out.stdout
        assert json.loads(out.stdout)["cut"][0]["name"] == HOSTILE

    @pytest.mark.parametrize("fmt", ["graphml", "gexf"])
    def test_graphml_and_gexf_with_control_characters_are_well_formed_xml(self, tmp_path, fmt):
        path = hostile_inventory(tmp_path / "inv")
        target = tmp_path / f"out.{fmt}"
        out = run("export", path, "--format", fmt, "-o", target)
        assert out.exit_code == 0, out.output
        root = ET.parse(target).getroot()
        text = ET.tostring(root, encoding="unicode")
        assert "Kynthos\ufffd[2J\ufffd]0;owned\ufffd \x9b31m Cloud\u202e" in text  # only XML's forbidden ones replaced


@pytest.fixture(scope="module")
def demo(demo_path):
    inv, _ = load(demo_path)
    return build_graph(inv)


class TestStreamedRdf:
    def test_streamed_turtle_of_the_demo_is_the_rdflib_graph(self, demo, demo_path, tmp_path):
        target = tmp_path / "demo.ttl"
        out = run("export", demo_path, "--format", "ttl", "-o", target)
        assert out.exit_code == 0, out.output
        streamed = Graph().parse(target, format="turtle")
        assert isomorphic(streamed, to_rdf(demo))
        shapes = Graph()
        shapes += packaged_shapes()  # a copy: pyshacl adds to the shapes graph it is given, and that one is cached
        conforms, _, report = pyshacl.validate(streamed, shacl_graph=shapes, ont_graph=ontology_graph(),
                                               inference="none")
        assert conforms, report[:2000]

    def test_streamed_json_ld_of_the_demo_is_the_rdflib_graph(self, demo, demo_path, tmp_path):
        target = tmp_path / "demo.jsonld"
        assert run("export", demo_path, "--format", "jsonld", "-o", target).exit_code == 0
        assert isomorphic(Graph().parse(target, format="json-ld"), to_rdf(demo))

    def test_slices_of_any_size_give_the_same_graph(self, demo):
        one, small = io.BytesIO(), io.BytesIO()
        write_turtle(demo, one, size=10**6)
        write_turtle(demo, small, size=7)
        assert isomorphic(Graph().parse(data=one.getvalue(), format="turtle"),
                          Graph().parse(data=small.getvalue(), format="turtle"))

    def test_hostile_ids_and_names_survive(self, tmp_path):
        path = write_inventory(tmp_path, {
            "suppliers.csv": f'id,name,country\n"S 1/""x""\\y","{HOSTILE}",US\nS#2,"two\nlines ""q"" \\",DE\n',
            "systems.csv": 'id,name,supplier_id,extra col\nSYS-ü,Mail é,"S 1/""x""\\y",a\x01b\n',
        })
        inv, problems = load(path)
        assert inv is not None, problems
        g = build_graph(inv)
        for writer, fmt in ((write_turtle, "turtle"), (write_jsonld, "json-ld")):
            buf = io.BytesIO()
            writer(g, buf, size=1)
            assert isomorphic(Graph().parse(data=buf.getvalue(), format=fmt), to_rdf(g)), fmt
        buf = io.BytesIO()
        write_turtle(g, buf)
        assert b"\x1b" not in buf.getvalue() and b"\\u001B" in buf.getvalue()
