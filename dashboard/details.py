"""What the details panel shows about one node: its properties, its ownership chains and its assessment.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("SYS", kind="system", name="Mail", exit_plan="no")
>>> g.add_node("S-IE", kind="supplier", name="Kynthos Ireland", country="IE")
>>> g.add_node("S-US", kind="supplier", name="Kynthos Inc.", country="US")
>>> _ = g.add_edge("SYS", "S-IE", key="provided_by")
>>> _ = g.add_edge("S-IE", "S-US", key="owned_by")
>>> d = node_details(g, "SYS", None, "nl")
>>> d.properties
[('geleverd door', 'Kynthos Ireland (S-IE)'), ('exitplan', 'nee')]
>>> [[(p["id"], p["european"]) for p in chain] for chain in d.chains]
[[('S-IE', True), ('S-US', False)]]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from sovmap.graph.levels import dimension_label, dimensions, level_label, reason_text
from sovmap.graph.ownership import ownership_chain, owners
from sovmap.ontology.countries import country
from sovmap.ontology.vocab import vocabulary

from .i18n import country_label, kind_label, value_label
from .tables import named

__all__ = ["Details", "node_details"]



@dataclass
class Details:
    """The details of one node, every text in the chosen language."""

    id: str
    name: str
    kind: str  # label
    properties: list[tuple[str, str]] = field(default_factory=list)
    chains: list[list[dict]] = field(default_factory=list)  # each: parties from the supplier up to an owner or co-owner
    assessment: list[dict] = field(default_factory=list)  # per dimension: dimension, label, level, level_label, reasons


def _with_co_owners(g: nx.MultiDiGraph, chain: list[str]) -> list[list[str]]:
    """The controlling chain, then a chain through each significant co-owner of a party on it."""
    out = [chain]
    for i, party in enumerate(chain):
        for step in owners(g, party):
            if step.relation == "co_owned_by":
                out.append(chain[:i + 1] + ownership_chain(g, step.party))
    return out


def _chains(g: nx.MultiDiGraph, node: str) -> list[list[str]]:
    d = g.nodes[node]
    if d["kind"] == "supplier":
        return _with_co_owners(g, ownership_chain(g, node))
    if d["kind"] not in ("system", "location"):
        return []
    out: list[list[str]] = []
    for _, target, rel in g.out_edges(node, keys=True):
        if rel in ("provided_by", "operated_by"):
            chain = ownership_chain(g, target)
        elif rel == "hosted_at":
            ops = [t for _, t, r in g.out_edges(target, keys=True) if r == "operated_by"]
            chain = ownership_chain(g, ops[0]) if ops else []
        else:
            continue
        for c in _with_co_owners(g, chain) if chain else []:
            if c not in out:
                out.append(c)
    return out


def _party(g: nx.MultiDiGraph, node: str, lang: str) -> dict:
    code = g.nodes[node].get("country")
    return {"id": node, "name": g.nodes[node].get("name") or node,
            "country": country_label(code, lang) if code else None,
            "european": country(code).eea if code else None}


def _properties(g: nx.MultiDiGraph, node: str, lang: str) -> list[tuple[str, str]]:
    d = g.nodes[node]
    try:
        columns = vocabulary().kind(d["kind"]).columns
    except KeyError:
        return []
    targets: dict[str, list[str]] = {}
    for _, t, rel in g.out_edges(node, keys=True):
        targets.setdefault(rel, []).append(t)
    rows = []
    for c in columns:
        if c.key in ("id", "name"):
            continue
        if c.relation:
            value = ", ".join(f"{g.nodes[t].get('name') or t} ({t})" for t in targets.get(c.relation, []))
        elif c.country:
            value = country_label(d["country"], lang) if d.get("country") else ""
        elif c.enum:
            value = value_label(c.enum, d.get(c.key), lang)
        else:
            value = str(d.get(c.key) or "")
        if value:
            rows.append((c.label(lang), value))
    known = {c.key for c in columns} | {"kind", "name", "country", "code"}
    rows += [(k, str(v)) for k, v in d.items() if k not in known and v not in (None, "")]
    return rows


def node_details(g: nx.MultiDiGraph, node: str, item: dict | None, lang: str) -> Details:
    """The details of ``node``; ``item`` is its row of the assessment (None when it is not assessed)."""
    d = g.nodes[node]
    out = Details(id=node, name=d.get("name") or node, kind=kind_label(d["kind"], lang),
                  properties=_properties(g, node, lang),
                  chains=[[_party(g, p, lang) for p in chain] for chain in _chains(g, node)])
    if item:
        for dim in dimensions():
            part = item[dim]
            out.assessment.append({"dimension": dim, "label": dimension_label(dim, lang), "level": part["level"],
                                   "level_label": level_label(part["level"], lang),
                                   "reasons": [reason_text(named(r, g), lang) for r in part.get("reasons", [])]})
    return out
