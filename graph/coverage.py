"""What an answer rests on: the parts of an inventory that are missing or unknown.

Every analysis (spof, rank, assess, impact, and the dashboard's pages) shows a
short coverage line from :func:`coverage`: processes without a criticality
(and whether the analysis leaves them out), suppliers whose ownership is
unknown (never counted as European), systems without any supplier, operator or
location, and, when known, the items an import left unmapped.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("P1", kind="process", name="Permits", criticality="vital")
>>> g.add_node("P2", kind="process", name="Parking")
>>> g.add_node("SYS", kind="system", name="Cases")
>>> g.add_node("S", kind="supplier", name="Centric")
>>> _ = g.add_edge("SYS", "S", key="provided_by")
>>> g.add_node("SYS-2", kind="system", name="Orphan")
>>> c = coverage(g)
>>> c["processes_without_criticality"], c["ownership_unknown"], c["systems_without_party"]
(['P2'], ['S'], ['SYS-2'])
>>> coverage_text(c, "spof")
'Rests on: 1 of 2 processes without a criticality (left out); 1 of 1 supplier of unknown ownership (never counted as European); 1 of 2 systems without supplier, operator or location.'
>>> coverage_text(c, "spof", "nl")
'Gebaseerd op: 1 van 2 processen zonder kritikaliteit (niet meegenomen); 1 van 1 leverancier met onbekend eigendom (nooit als Europees geteld); 1 van 2 systemen zonder leverancier, beheerder of locatie.'
"""

from __future__ import annotations

import networkx as nx

from .ownership import ownership_status

__all__ = ["coverage", "coverage_text", "CRITICALITY_TREATMENT"]

_PARTY_RELATIONS = ("provided_by", "operated_by", "hosted_at")

# How each analysis treats a process without a criticality: (English, Dutch).
CRITICALITY_TREATMENT = {
    "spof": ("left out", "niet meegenomen"),
    "rank": ("counted with the lowest weight", "meegeteld met het laagste gewicht"),
    "assess": ("no requirement from criticality", "geen eis vanuit kritikaliteit"),
    "impact": ("listed without a criticality", "zonder kritikaliteit vermeld"),
    "overview": ("left out of single points of failure", "niet meegenomen bij single points of failure"),
}

_WORDS = {
    "en": {"head": "Rests on", "of": "of", "complete": "every process has a criticality, every supplier's ownership is "
           "known and every system has a supplier, operator or location",
           "process": ("process", "processes"), "no_crit": "without a criticality",
           "supplier": ("supplier", "suppliers"), "unknown": "of unknown ownership (never counted as European)",
           "unknown_impact": "of unknown ownership (a country's cut takes them only where a known party is in its "
                             "reach: the real impact may be larger)",
           "system": ("system", "systems"), "no_party": "without supplier, operator or location",
           "unmapped": "import item(s) left unmapped"},
    "nl": {"head": "Gebaseerd op", "of": "van", "complete": "elk proces heeft een kritikaliteit, van elke leverancier is het "
           "eigendom bekend en elk systeem heeft een leverancier, beheerder of locatie",
           "process": ("proces", "processen"), "no_crit": "zonder kritikaliteit",
           "supplier": ("leverancier", "leveranciers"), "unknown": "met onbekend eigendom (nooit als Europees geteld)",
           "unknown_impact": "met onbekend eigendom (een land raakt ze alleen waar een bekende partij binnen zijn bereik "
                             "valt: de werkelijke impact kan groter zijn)",
           "system": ("systeem", "systemen"), "no_party": "zonder leverancier, beheerder of locatie",
           "unmapped": "importonderdeel/-onderdelen niet overgenomen"},
}


def coverage(g: nx.MultiDiGraph, unmapped: int | None = None) -> dict:
    """Count what is missing: processes without criticality, suppliers of unknown ownership, systems without party.

    ``unmapped``: the number of import items left unmapped, when the caller knows
    it (the inventory does not record it); None leaves it out.
    """
    processes, no_crit, suppliers, unknown, systems, no_party = 0, [], 0, [], 0, []
    for n, d in g.nodes(data=True):
        kind = d.get("kind")
        if kind == "process":
            processes += 1
            if not d.get("criticality"):
                no_crit.append(n)
        elif kind == "supplier":
            suppliers += 1
            if ownership_status(g, n) == "unknown":
                unknown.append(n)
        elif kind == "system":
            systems += 1
            if not any(rel in _PARTY_RELATIONS for _, _, rel in g.out_edges(n, keys=True)):
                no_party.append(n)
    return {"processes": processes, "processes_without_criticality": sorted(no_crit),
            "suppliers": suppliers, "ownership_unknown": sorted(unknown),
            "systems": systems, "systems_without_party": sorted(no_party),
            "unmapped": unmapped}


def coverage_text(cov: dict, analysis: str = "spof", lang: str = "en") -> str:
    """One line saying what an analysis rests on (``analysis``: spof, rank, assess, impact or overview)."""
    w = _WORDS.get(lang, _WORDS["en"])
    treat = CRITICALITY_TREATMENT[analysis][1 if lang == "nl" else 0]
    parts = []

    def count(n: int, total: int, noun: tuple[str, str], what: str) -> str:
        return f"{n} {w['of']} {total} {noun[0] if total == 1 else noun[1]} {what}"

    if cov["processes_without_criticality"]:
        parts.append(count(len(cov["processes_without_criticality"]), cov["processes"], w["process"], w["no_crit"])
                     + f" ({treat})")
    if cov["ownership_unknown"]:
        unknown = w["unknown"] if analysis != "impact" else w["unknown_impact"]  # a cut may reach further than shown
        parts.append(count(len(cov["ownership_unknown"]), cov["suppliers"], w["supplier"], unknown))
    if cov["systems_without_party"]:
        parts.append(count(len(cov["systems_without_party"]), cov["systems"], w["system"], w["no_party"]))
    if cov.get("unmapped"):
        parts.append(f"{cov['unmapped']} {w['unmapped']}")
    return f"{w['head']}: " + ("; ".join(parts) if parts else w["complete"]) + "."
