"""The assessment at scale: what makes it fast (texts left out, memoised details, actions merged in sets) changes no
answer. Compared on the demo and on a synthetic inventory, against plain re-computations."""

from __future__ import annotations

import pytest

from sovmap.cli.common import demo_path
from sovmap.graph.assessment import actions, assess, assessment_facts
from sovmap.graph.levels import fill_texts, step
from sovmap.graph.model import build_graph
from sovmap.ingest.synthetic import write_synthetic
from sovmap.ingest.validate import load
from sovmap.store.answers import assess_summary, overview_answer


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic3")
    write_synthetic(folder, 3, seed=5)
    return [build_graph(load(folder)[0]), build_graph(load(demo_path())[0])]


def texts(result: dict) -> list[dict]:
    """Every reason and step of an assessment, items' and gaps' alike."""
    found = [r for i in result["items"] for d in ("geographic", "legal", "operational") for r in i[d]["reasons"]]
    return found + [x for gap in result["gaps"] for key in ("reasons", "steps") for x in gap[key]]


def test_without_texts_only_the_texts_are_left_out(graphs):
    for g in graphs:
        full, bare = assess(g), assess(g, texts=False)
        left_out = texts(bare)
        assert left_out and all(x["text"] is None for x in left_out)
        assert all(isinstance(x["text"], str) for x in texts(full))
        fill_texts(left_out)
        assert bare == full


def test_a_summary_of_an_assessment_without_texts_writes_the_texts_of_the_gaps_it_keeps(graphs):
    for g in graphs:
        summary = assess_summary(assess(g, texts=False), gaps=5)
        assert summary == assess_summary(assess(g), gaps=5)
        assert all(x["text"] for gap in summary["gaps"] for x in [*gap["reasons"], *gap["steps"]])


def test_a_lean_assessment_summarises_and_overviews_as_the_whole_one(graphs):
    for g in graphs:
        whole, lean = assess(g), assess(g, texts=False, lean=True)
        assert [i["id"] for i in lean["items"]] == [i["id"] for i in whole["items"]]
        assert all("reasons" not in i["legal"] and "name" not in i for i in lean["items"])
        assert assess_summary(lean) == assess_summary(whole)
        assert overview_answer(g, lean) == overview_answer(g, whole)


def plain_actions(result: dict) -> list[dict]:
    """The merge as first written (lists searched and re-sorted per step): slow, plainly right."""
    merged: dict[tuple, dict] = {}
    for gap in result["gaps"]:
        ref = {"id": gap["id"], "dimension": gap["dimension"], "severity": gap["severity"]}
        for st in gap["steps"]:
            params = st["params"]
            if "group" in params:
                keys = [((st["code"], params["group"]), params)]
            elif "systems" in params:
                keys = [((st["code"], s), {**params, "systems": [s]}) for s in params["systems"]]
            else:
                flat = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(params.items()))
                keys = [((st["code"], flat), params)]
            for key, p in keys:
                a = merged.setdefault(key, {"code": st["code"], "params": dict(p), "fixes": [], "helps": []})
                if "systems" in p:
                    a["params"]["systems"] = sorted(set(a["params"]["systems"]) | set(p["systems"]))
                target = a["fixes"] if st["closes"] else a["helps"]
                if ref not in target:
                    target.append(ref)
    out = []
    for a in merged.values():
        made = step(a["code"], bool(a["fixes"]), **a["params"])
        made.update(fixes=a["fixes"], helps=a["helps"], severity=sum(x["severity"] for x in a["fixes"]))
        out.append(made)
    out.sort(key=lambda a: (-a["severity"], -sum(x["severity"] for x in a["helps"]), a["code"], a["text"]))
    return out


def test_actions_equal_the_plain_merge(graphs):
    for g in graphs:
        result = assess(g)
        found = actions(result)
        assert found and any(len(a["fixes"]) > 1 for a in found)
        assert found == plain_actions(result)


def test_memoised_details_do_not_depend_on_the_order_they_are_asked_in(graphs):
    g = graphs[0]
    forward, backward = assessment_facts(g), assessment_facts(g)
    nodes = forward.nodes()
    first = {n: (forward.geographic(n), forward.legal(n), forward.operational(n)) for n in nodes}
    assert forward.memo and not backward.memo
    for n in reversed(nodes):
        assert (backward.geographic(n), backward.legal(n), backward.operational(n)) == first[n], n
