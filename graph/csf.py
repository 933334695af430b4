"""EU Cloud Sovereignty Framework (v1.2.1, October 2025): per system, the SEAL level of the questions the graph can answer.

Six questions are answered from the graph: SOV-5.6 single point of
dependency, SOV-1.8 resilience to cut-off, SOV-4.6 supplier jurisdiction,
SOV-3.4 data location, SOV-2.2 extraterritorial laws and SOV-3.1 key control.
The rung texts and SEALs live in ``csf.yaml`` (with their source). Facts map to
rungs conservatively: where the facts fit several rungs, all are listed and the
SEAL is the lowest of them; where the inventory cannot tell, the SEAL is None
(unknown), never guessed.

How facts map to rungs (the graph's facts are those of
:mod:`sovmap.graph.assessment`):

SOV-5.6
    Vendors are the supplier groups of everything the system runs on;
    facilities the locations (non-EU when outside the EU/EEA or operated by a
    non-European group). None non-EU → rung 5; all of them → 1 (or 2, when
    some are unknown); half or more (unknown ones counted as non-EU) → 2;
    fewer → 3 or 4. Some unknown and the rest European → unknown.
SOV-1.8
    A supplier group that can cut it off alone (a single point of failure),
    with no prepared exit (open-standard export and exit plan on the systems
    concerned) → rung 1 or 2, or rung 3 when contracts cover every system
    concerned with a notice period and the data back in an open format or the
    source code in escrow (continuing temporarily on a contractual agreement).
    Every single point with an exit, or none at all (alternatives) → rung 4.
    Rung 5 (autonomy) is never claimed. No supplier known, or a system without
    supplier that might hide one → unknown.
SOV-4.6
    A non-European single point of failure without exit → rung 1 (the graph
    cannot show a delay), or 3 with contracts as for SOV-1.8; with an exit → 4;
    no non-European single point → 4.
    A single point whose country is unknown → unknown.
SOV-3.4
    All places in the EU/EEA and none unknown → rung 5; some places in adequacy
    countries besides the EU/EEA → 3; any other third country, or no EU/EEA
    place → 1 or 2; location unknown → unknown.
SOV-2.2
    A party under a law with cross-border reach → rung 1 or 2 (customer-held
    keys are noted, not counted as a clause). Contracts narrow this where they
    cover every system through which the law reaches: a contract under non-EU
    law or courts → 1; all under EU/EEA law and courts → 2 (mitigation clauses,
    exposure remains), and 3 when moreover the data location agreed is in the
    EU/EEA and the direct parties are registered there (an EU subsidiary with
    contractual protections). Without contracts the rungs stay 1 or 2, as they
    cannot tell. Every ownership chain inside the
    EU/EEA and all known → 5 (as far as the recorded chains go); any other
    non-EU jurisdiction → unknown.
SOV-3.1
    key_control provider → rung 1; customer → 4 or 5 (the inventory does not say
    whether the provider can read the data); not recorded → unknown.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("SYS", kind="system", name="Mail", key_control="provider")
>>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
>>> _ = g.add_edge("SYS", "S", key="provided_by")
>>> out = csf_scores(g)
>>> out["framework"]["version"]
'1.2.1'
>>> s = out["systems"][0]["scores"]
>>> s["SOV-3.1"]["seal"], s["SOV-2.2"]["seal"], s["SOV-2.2"]["rungs"], s["SOV-3.4"]["seal"]
(0, 1, [1, 2], None)
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import networkx as nx
import yaml

from sovmap.ontology.countries import country

from .assessment import Facts, assessment_facts
from .levels import UNKNOWN

__all__ = ["framework", "questions", "csf_scores", "QUESTION_IDS"]

QUESTION_IDS = ("SOV-5.6", "SOV-1.8", "SOV-4.6", "SOV-3.4", "SOV-2.2", "SOV-3.1")


@cache
def _data() -> dict:
    return yaml.safe_load(resources.files("sovmap.graph").joinpath("csf.yaml").read_text("utf-8"))


def framework() -> dict:
    """Name, publisher, version, date and source of the framework the scores cite."""
    return dict(_data()["framework"])


def questions() -> dict[str, dict]:
    """The answered questions by id, each with its title and rungs (rung, seal, text)."""
    return {q["id"]: q for q in _data()["questions"]}


def _answer(qid: str, rungs: list[int] | None, basis: str) -> dict:
    q = questions()[qid]
    if not rungs:
        return {"seal": None, "rungs": [], "answer": None, "basis": basis}
    by_rung = {r["rung"]: r for r in q["rungs"]}
    return {"seal": min(by_rung[r]["seal"] for r in rungs), "rungs": sorted(rungs),
            "answer": " / ".join(by_rung[r]["text"] for r in sorted(rungs)), "basis": basis}


def _ids(xs) -> str:
    xs = sorted(xs)
    return ", ".join(xs[:6]) + (f" and {len(xs) - 6} more" if len(xs) > 6 else "")


def _single_point_of_dependency(f: Facts, s: str) -> dict:
    groups = {f.root_of[p.supplier] for t in f.runs_on[s] for p in f.parties.get(t, ())}
    facilities = {loc for t in f.runs_on[s] for loc, _ in f.places[t]}
    status = {g: f.groups[g].status for g in groups}
    for loc in facilities:
        c = f.g.nodes[loc].get("country")
        operators = [f.groups[f.root_of[op]].status for _, op, r in f.g.out_edges(loc, keys=True) if r == "operated_by"]
        if (c and not _eea(c)) or "non_eu" in operators:
            status[loc] = "non_eu"
        else:
            status[loc] = "eu" if c else "unknown"
    non_eu = sorted(k for k, v in status.items() if v == "non_eu")
    unknown = sorted(k for k, v in status.items() if v == "unknown")
    known = len(status) - len(unknown)
    if not status:
        return _answer("SOV-5.6", None, "No vendor or facility is recorded for what it runs on.")
    if not non_eu:
        if unknown:
            return _answer("SOV-5.6", None,
                           f"No non-EU vendor or facility known, but the country of {_ids(unknown)} is unknown.")
        return _answer("SOV-5.6", [5], f"All vendors and facilities are in the EU/EEA: {_ids(status)}.")
    if len(non_eu) == known:
        rungs = [1, 2] if unknown else [1]
        return _answer("SOV-5.6", rungs, f"Non-EU vendors or facilities: {_ids(non_eu)}; no European ones known.")
    share = (len(non_eu) + len(unknown)) / len(status)
    if share >= 0.5:
        return _answer("SOV-5.6", [2], f"Mostly non-EU ({len(non_eu)} of {len(status)}"
                                        f"{', unknown counted as non-EU' if unknown else ''}): {_ids(non_eu)}.")
    return _answer("SOV-5.6", [3, 4], f"A few non-EU vendors or facilities ({len(non_eu)} of {len(status)}), "
                                      f"documented in this inventory: {_ids(non_eu)}.")


def _eea(code: str) -> bool:
    return country(code).eea


def _continuity(f: Facts, systems) -> list[str] | None:
    """The contracts that let every one of ``systems`` continue temporarily (a notice period, and the data back in
    an open format or the source code in escrow), or None when some system has no such contract."""
    found: set[str] = set()
    for t in systems:
        ok = [c.id for c in f.cover.get(t, ())
              if c.notice_months and (c.data_return == "open_format" or c.escrow == "yes")]
        if not ok:
            return None
        found.update(ok)
    return sorted(found) if found else None


def _resilience(f: Facts, s: str) -> dict:
    op = f.operational(s)
    if op.level == UNKNOWN and not op.cutoffs:
        return _answer("SOV-1.8", None, "No supplier is recorded for it or for what it runs on.")
    stuck = [c for c in op.cutoffs if not c.systems or c.no_export or c.no_plan]
    held = _continuity(f, {t for c in stuck for t in c.systems}) if stuck and all(c.systems for c in stuck) else None
    if held:
        return _answer("SOV-1.8", [3], f"Supplier group(s) {_ids(c.group for c in stuck)} can cut it off without a "
                                       f"prepared exit, but contracts {_ids(held)} give a notice period and the data "
                                       "back in an open format or the source code in escrow.")
    if stuck:
        return _answer("SOV-1.8", [1, 2], "Supplier group(s) that can cut it off on their own, without a prepared "
                                          f"exit (open-standard export and exit plan): {_ids(c.group for c in stuck)}.")
    if op.no_party:
        return _answer("SOV-1.8", None, f"No supplier recorded for {_ids(op.no_party)}, which may hide a single "
                                        "point of failure.")
    if op.cutoffs:
        return _answer("SOV-1.8", [4], "Every supplier group that can cut it off alone has a prepared exit: "
                                       f"{_ids(c.group for c in op.cutoffs)}.")
    return _answer("SOV-1.8", [4], "No single supplier group can cut it off: alternatives keep it working.")


def _supplier_jurisdiction(f: Facts, s: str) -> dict:
    op = f.operational(s)
    non_eu = [c for c in op.cutoffs if c.status == "non_eu"]
    stuck = [c for c in non_eu if c.level == "not_in_control"]
    held = _continuity(f, {t for c in stuck for t in c.systems}) if stuck and all(c.systems for c in stuck) else None
    if held:
        return _answer("SOV-4.6", [3], f"Non-European supplier group(s) {_ids(c.group for c in stuck)} can cut it off "
                                       f"alone, but contracts {_ids(held)} let it continue temporarily.")
    if stuck:
        return _answer("SOV-4.6", [1], "Non-European supplier group(s) that can cut it off alone, without a prepared "
                                       f"exit: {_ids(c.group for c in stuck)}.")
    unknown = [c for c in op.cutoffs if c.status == "unknown"]
    if op.level == UNKNOWN or unknown or op.no_party:
        what = _ids(c.group for c in unknown) if unknown else _ids(op.no_party or [s])
        return _answer("SOV-4.6", None, f"Cannot tell: country or supplier unknown for {what}.")
    if non_eu:
        return _answer("SOV-4.6", [4], "Non-European single points of failure with a prepared exit: "
                                       f"{_ids(c.group for c in non_eu)}.")
    return _answer("SOV-4.6", [4], "No non-European supplier group can cut it off on its own.")


def _data_location(f: Facts, s: str) -> dict:
    geo = f.geographic(s)
    if geo.level == UNKNOWN:
        return _answer("SOV-3.4", None, "Its location is not recorded.")
    where = "; ".join(f"{p.country or '?'}: {_ids(p.locations)}" for p in geo.places)
    eu = [p for p in geo.places if p.level == "in_control"]
    if geo.level == "in_control":
        if not geo.complete:
            return _answer("SOV-3.4", None, f"Known places are in the EU/EEA ({where}), but not all are known.")
        return _answer("SOV-3.4", [5], f"All places in the EU/EEA: {where}.")
    if geo.level == "partial" and eu:
        return _answer("SOV-3.4", [3], f"Mainly EU/EEA, with places in countries with an adequacy decision: {where}.")
    return _answer("SOV-3.4", [1, 2],
                   f"Places outside the EU/EEA without an adequacy decision, or no EU/EEA place: {where}.")


def _extraterritorial(f: Facts, s: str) -> dict:
    leg = f.legal(s)
    if leg.level == UNKNOWN:
        return _answer("SOV-2.2", None, "No supplier, operator or location operator with a known country.")
    reached = [e for e in leg.exposures if e.laws]
    if reached:
        laws = sorted({law for e in reached for law in e.laws})
        keys = " Keys are held by the customer (noted, not counted as a clause)." if leg.customer_keys else ""
        clauses = _legal_clauses(f, {t for e in reached for t in e.systems})
        if clauses:
            rungs, basis = clauses
            return _answer("SOV-2.2", rungs, f"Exposed through {_ids(e.group for e in reached)} to {', '.join(laws)}; "
                                             f"{basis}{keys}")
        return _answer("SOV-2.2", [1, 2],
                       f"Exposed through {_ids(e.group for e in reached)} to {', '.join(laws)}.{keys}")
    other = sorted({c for e in leg.exposures for c in e.countries if not _eea(c)})
    if other:
        return _answer("SOV-2.2", None, f"Jurisdictions outside the EU/EEA ({', '.join(other)}) with no law of "
                                        "cross-border reach on record; the graph cannot verify immunity.")
    if not leg.complete:
        return _answer("SOV-2.2", None,
                       "The known ownership chains are inside the EU/EEA, but not all parties are known.")
    return _answer("SOV-2.2", [5], f"Every ownership chain is inside the EU/EEA ({', '.join(leg.jurisdictions)}), "
                                   "as far as the chains recorded in the inventory go.")


def _legal_clauses(f: Facts, systems: set[str]) -> tuple[list[int], str] | None:
    """SOV-2.2's rungs from the contracts covering every one of ``systems``, or None when one has no contract."""
    cover = {t: f.cover.get(t, ()) for t in systems}
    if not systems or not all(cover.values()):
        return None
    contracts = {c.id: c for cs in cover.values() for c in cs}
    foreign = sorted(cid for cid, c in contracts.items()
                     if any(x and not _eea(x) for x in (c.governing_law, c.court)))
    if foreign:
        return [1], f"contracts {_ids(foreign)} are under law or courts outside the EU/EEA."
    eu_law = [t for t, cs in cover.items()
              if any(c.governing_law and c.court and _eea(c.governing_law) and _eea(c.court) for c in cs)]
    if len(eu_law) < len(systems):
        return None
    located = all(any(c.data_location in ("EU", "EEA") or (c.data_location and _eea(c.data_location)) for c in cs)
                  for cs in cover.values())
    direct = {p.supplier for t in systems for p in f.parties.get(t, ())}
    eu_parties = bool(direct) and all(f.g.nodes[p].get("country") and _eea(f.g.nodes[p]["country"]) for p in direct)
    ids = _ids(contracts)
    if located and eu_parties:
        return [3], (f"contracts {ids} set EU/EEA law, courts and data location with parties registered in the "
                     "EU/EEA (an EU subsidiary with contractual protections).")
    return [2], f"contracts {ids} set EU/EEA law and courts: mitigation clauses, the exposure remains."


def _key_control(f: Facts, s: str) -> dict:
    kc = f.g.nodes[s].get("key_control")
    if kc == "provider":
        return _answer("SOV-3.1", [1], "key_control is provider.")
    if kc == "customer":
        return _answer("SOV-3.1", [4, 5], "key_control is customer; the inventory does not say whether the provider "
                                          "can read the data, so rung 5 is not claimed.")
    return _answer("SOV-3.1", None, "key_control is not recorded.")


_MAPPINGS = {"SOV-5.6": _single_point_of_dependency, "SOV-1.8": _resilience, "SOV-4.6": _supplier_jurisdiction,
             "SOV-3.4": _data_location, "SOV-2.2": _extraterritorial, "SOV-3.1": _key_control}


def csf_scores(g: nx.MultiDiGraph, facts: Facts | None = None) -> dict:
    """Per system, the SEAL of each answerable CSF question, with the rungs that fit and why.

    Returns ``{"framework": {...}, "seal_levels": {0: ..., 4: ...}, "questions": [{"id", "title"}],
    "systems": [{"id", "name", "scores": {question id: {"seal", "rungs", "answer", "basis"}},
    "lowest_seal", "unknown"}]}``; ``seal`` is None where the graph cannot answer.
    """
    facts = facts or assessment_facts(g)
    qs = questions()
    rows = []
    for s in facts.nodes():
        if g.nodes[s]["kind"] != "system":
            continue
        scores = {qid: _MAPPINGS[qid](facts, s) for qid in QUESTION_IDS}
        seals = [x["seal"] for x in scores.values() if x["seal"] is not None]
        rows.append({"id": s, "name": g.nodes[s].get("name"), "scores": scores,
                     "lowest_seal": min(seals) if seals else None,
                     "unknown": [qid for qid, x in scores.items() if x["seal"] is None]})
    return {"framework": framework(), "seal_levels": dict(_data()["seal_levels"]),
            "questions": [{"id": qid, "title": qs[qid]["title"], "objective": qs[qid]["objective"]}
                          for qid in QUESTION_IDS],
            "systems": rows}
