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
'Rests on: 1 of 2 processes without a criticality (left out); 1 of 1 supplier of unknown ownership (never counted as European); 1 of 2 systems without supplier, operator or location. To include the processes without a criticality, set a criticality in processes.csv (column criticality) or run with --all.'
>>> coverage_text(c, "spof", "nl")
'Gebaseerd op: 1 van 2 processen zonder kritikaliteit (niet meegenomen); 1 van 1 leverancier met onbekend eigendom (nooit als Europees geteld); 1 van 2 systemen zonder leverancier, beheerder of locatie. Om de processen zonder kritikaliteit mee te nemen: geef ze een kritikaliteit in processes.csv (kolom kritikaliteit) of gebruik --all.'
>>> left_out_text(c, "spof")
'1 process has no criticality and was left out: set one in processes.csv (column criticality) or run with --all to include it.'

A criticality an importer derived (from a BIV availability level, a
``bedrijfskritisch`` flag ...) is marked on the process by a
``criticality_source`` column; :func:`coverage` lists those processes under
``processes_criticality_derived`` and the line says how many there are.
"""

from __future__ import annotations

import networkx as nx

from .ownership import ownership_status

__all__ = ["coverage", "coverage_text", "left_out", "left_out_text", "blind_spots",
           "without_dependencies", "CRITICALITY_TREATMENT",
           "DERIVED_MARK"]

_PARTY_RELATIONS = ("provided_by", "operated_by", "hosted_at")

# How each analysis treats a process without a criticality: (English, Dutch).
CRITICALITY_TREATMENT = {
    "spof": ("left out", "niet meegenomen"),
    "spof --all": ("included, marked [no criticality]", "meegenomen, gemarkeerd als [geen kritikaliteit]"),
    "rank": ("counted with the lowest weight", "meegeteld met het laagste gewicht"),
    "assess": ("no requirement from criticality", "geen eis vanuit kritikaliteit"),
    "impact": ("listed without a criticality", "zonder kritikaliteit vermeld"),
    "overview": ("left out of single points of failure", "niet meegenomen bij single points of failure"),
}

#: The process column where an importer says where a derived criticality came from.
DERIVED_MARK = "criticality_source"

# How to include (or weigh) processes without a criticality, per analysis and surface: (English, Dutch).
_SET = ("set a criticality in processes.csv (column criticality)",
        "geef ze een kritikaliteit in processes.csv (kolom kritikaliteit)")
_HOW = {
    ("spof", "cli"): ("To include the processes without a criticality, " + _SET[0] + " or run with --all.",
                      "Om de processen zonder kritikaliteit mee te nemen: " + _SET[1] + " of gebruik --all."),
    ("spof", "dashboard"): ("To include the processes without a criticality, " + _SET[0]
                            + ' or choose "no criticality" in the criticality filter.',
                            "Om de processen zonder kritikaliteit mee te nemen: " + _SET[1]
                            + ' of kies "geen kritikaliteit" in het filter op kritikaliteit.'),
    ("rank", "cli"): ("To weigh the processes without a criticality, " + _SET[0] + ".",
                      "Om de processen zonder kritikaliteit te wegen: " + _SET[1] + "."),
    ("assess", "cli"): ("To give the processes without a criticality a requirement, " + _SET[0] + ".",
                        "Om de processen zonder kritikaliteit een eis te geven: " + _SET[1] + "."),
    ("overview", "cli"): ("To include the processes without a criticality, " + _SET[0] + ".",
                          "Om de processen zonder kritikaliteit mee te nemen: " + _SET[1] + "."),
}
# One sentence for a result that left processes out: (singular, plural) per language.
_LEFT_OUT = {
    "en": ("{n} process has no criticality and was left out: set one in processes.csv (column criticality) or run "
           "with --all to include it.",
           "{n} processes have no criticality and were left out: set one in processes.csv (column criticality) or run "
           "with --all to include them."),
    "nl": ("{n} proces heeft geen kritikaliteit en is niet meegenomen: geef het er een in processes.csv (kolom "
           "kritikaliteit) of gebruik --all om het mee te nemen.",
           "{n} processen hebben geen kritikaliteit en zijn niet meegenomen: geef ze er een in processes.csv (kolom "
           "kritikaliteit) of gebruik --all om ze mee te nemen."),
}

_WORDS = {
    "en": {"head": "Rests on", "of": "of", "complete": "every process has a criticality, every supplier's ownership is "
           "known and every system has a supplier, operator or location",
           "process": ("process", "processes"), "no_crit": "without a criticality",
           "supplier": ("supplier", "suppliers"), "unknown": "of unknown ownership (never counted as European)",
           "unknown_impact": "of unknown ownership (a country's cut takes them only where a known party is in its "
                             "reach: the real impact may be larger)",
           "system": ("system", "systems"), "no_party": "without supplier, operator or location",
           "unmapped": "import item(s) left unmapped",
           "derived": "with a criticality derived from other data (see criticality_source)"},
    "nl": {"head": "Gebaseerd op", "of": "van", "complete": "elk proces heeft een kritikaliteit, van elke leverancier is het "
           "eigendom bekend en elk systeem heeft een leverancier, beheerder of locatie",
           "process": ("proces", "processen"), "no_crit": "zonder kritikaliteit",
           "supplier": ("leverancier", "leveranciers"), "unknown": "met onbekend eigendom (nooit als Europees geteld)",
           "unknown_impact": "met onbekend eigendom (een land raakt ze alleen waar een bekende partij binnen zijn bereik "
                             "valt: de werkelijke impact kan groter zijn)",
           "system": ("systeem", "systemen"), "no_party": "zonder leverancier, beheerder of locatie",
           "unmapped": "importonderdeel/-onderdelen niet overgenomen",
           "derived": "met een kritikaliteit afgeleid uit andere gegevens (zie criticality_source)"},
}


def coverage(g: nx.MultiDiGraph, unmapped: int | None = None) -> dict:
    """Count what is missing: processes without criticality, suppliers of unknown ownership, systems without party.

    ``unmapped``: the number of import items left unmapped, when the caller knows
    it (the inventory does not record it); None leaves it out.
    """
    processes, no_crit, suppliers, unknown, systems, no_party, derived = 0, [], 0, [], 0, [], []
    succ = g._succ  # networkx's adjacency, read directly: an edge view per system costs a second nationally
    for n, d in g._node.items():
        kind = d.get("kind")
        if kind == "process":
            processes += 1
            if not d.get("criticality"):
                no_crit.append(n)
            elif d.get(DERIVED_MARK):
                derived.append(n)
        elif kind == "supplier":
            suppliers += 1
            if ownership_status(g, n) == "unknown":
                unknown.append(n)
        elif kind == "system":
            systems += 1
            if not any(rel in _PARTY_RELATIONS for keys in succ[n].values() for rel in keys):
                no_party.append(n)
    return {"processes": processes, "processes_without_criticality": sorted(no_crit),
            "processes_criticality_derived": sorted(derived),
            "suppliers": suppliers, "ownership_unknown": sorted(unknown),
            "systems": systems, "systems_without_party": sorted(no_party),
            "unmapped": unmapped}


def blind_spots(g: nx.MultiDiGraph, processes) -> dict[str, list[str]]:
    """The systems without supplier, operator or location that each process depends on, directly or further down.

    A single point of failure can only be found among the parties the inventory
    names; where a process reaches a system with none, its list of single points
    of failure may be incomplete. Follows the relations that carry failure
    (``propagatesFailure`` in the ontology). Processes that reach none are left
    out of the result.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("P", {"kind": "process"}), ("Q", {"kind": "process"}), ("A", {"kind": "system"}),
    ...                   ("B", {"kind": "system"}), ("S", {"kind": "supplier"})])
    >>> _ = g.add_edge("P", "A", key="uses"); _ = g.add_edge("A", "B", key="depends_on")
    >>> _ = g.add_edge("A", "S", key="provided_by"); _ = g.add_edge("Q", "A", key="uses")
    >>> blind_spots(g, ["P", "Q"])
    {'P': ['B'], 'Q': ['B']}
    """
    from sovmap.ontology.vocab import vocabulary

    carries = vocabulary().propagating()
    out: dict[str, list[str]] = {}
    for p in processes:
        seen, stack, blind = {p}, [p], []
        while stack:
            n = stack.pop()
            for _, m, rel in g.out_edges(n, keys=True):
                if rel in carries and m not in seen:
                    seen.add(m)
                    stack.append(m)
                    if g.nodes[m].get("kind") == "system" and not any(
                            r in _PARTY_RELATIONS for _, _, r in g.out_edges(m, keys=True)):
                        blind.append(m)
        if blind:
            out[p] = sorted(blind)
    return out


def without_dependencies(g: nx.MultiDiGraph, processes) -> list[str]:
    """The processes that depend on nothing in the inventory (no relation that carries failure leaves them).

    Nothing can fail under them, so "no single point of failure" would say
    nothing about them.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("P", "A", "uses")]); g.add_node("Q")
    >>> without_dependencies(g, ["P", "Q"])
    ['Q']
    """
    from sovmap.ontology.vocab import vocabulary

    carries = vocabulary().propagating()
    return [p for p in processes if not any(rel in carries for _, _, rel in g.out_edges(p, keys=True))]


def left_out(cov: dict, analysis: str = "spof") -> dict:
    """What an analysis left out, by reason: ``{"no_criticality": n}`` (0 where the analysis includes them).

    >>> left_out({"processes_without_criticality": ["P1", "P2"]}), left_out({"processes_without_criticality": ["P1"]}, "spof --all")
    ({'no_criticality': 2}, {'no_criticality': 0})
    """
    n = len(cov["processes_without_criticality"]) if analysis == "spof" else 0
    return {"no_criticality": n}


def left_out_text(cov: dict, analysis: str = "spof", lang: str = "en") -> str:
    """One sentence saying how many processes ``analysis`` left out and how to include them ('' when none)."""
    n = left_out(cov, analysis)["no_criticality"]
    if not n:
        return ""
    return _LEFT_OUT["nl" if lang == "nl" else "en"][n != 1].format(n=n)


def coverage_text(cov: dict, analysis: str = "spof", lang: str = "en", surface: str = "cli") -> str:
    """One line saying what an analysis rests on (``analysis``: spof, spof --all, rank, assess, impact or overview).

    When processes lack a criticality, a last sentence says how to include (or
    weigh) them; ``surface`` (``cli`` or ``dashboard``) chooses the words.
    """
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
    if cov.get("processes_criticality_derived"):
        parts.append(count(len(cov["processes_criticality_derived"]), cov["processes"], w["process"], w["derived"]))
    text = f"{w['head']}: " + ("; ".join(parts) if parts else w["complete"]) + "."
    how = _HOW.get((analysis, surface)) or _HOW.get((analysis, "cli"))
    if cov["processes_without_criticality"] and how:
        text += " " + how[1 if lang == "nl" else 0]
    return text
