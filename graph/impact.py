"""What breaks if a scenario is cut: failed and degraded items with their why-chains.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("P-WEB", kind="process", name="Web services", criticality="vital")
>>> g.add_node("SYS-WEB", kind="system", name="Website")
>>> g.add_node("S-KYN", kind="supplier", name="Kynthos", country="US")
>>> _ = g.add_edge("P-WEB", "SYS-WEB", key="uses")
>>> _ = g.add_edge("SYS-WEB", "S-KYN", key="provided_by")
>>> r = impact(g, Scenario(suppliers=["S-KYN"]))
>>> [(x["id"], x.get("criticality"), x["why"]) for x in r["failed"]]
[('P-WEB', 'vital', ['P-WEB', 'SYS-WEB', 'S-KYN']), ('SYS-WEB', None, ['SYS-WEB', 'S-KYN'])]
>>> r["failed"][0]["why_text"], r["failed"][0]["chain_length"]
('P-WEB → SYS-WEB → S-KYN (US)', 3)
"""

from __future__ import annotations

import networkx as nx

from sovmap.ontology.countries import parse_country
from sovmap.ontology.vocab import vocabulary

from .errors import SovmapError
from .ownership import ownership_chain
from .propagation import CHAIN_HEAD, Propagation, propagate
from .scenarios import Scenario, scenario_cut

__all__ = ["impact", "item", "chain_text", "severity_key", "KIND_ORDER"]

KIND_ORDER = {"process": 0, "dataset": 1, "system": 2, "location": 3, "supplier": 4, "organisation": 5, "country": 6}


def _rank(enum_id: str, value: str | None) -> int:
    if not value:
        return 0
    return vocabulary().enum(enum_id).get(value).rank


def severity_key(g: nx.MultiDiGraph, node: str) -> tuple:
    """Sort key: processes first, then data sets, systems...; within a kind the most critical first."""
    d = g.nodes[node]
    rank = _rank("criticality", d.get("criticality")) + _rank("classification", d.get("classification"))
    return (KIND_ORDER.get(d["kind"], 9), -rank, node)


def _cut_note(g: nx.MultiDiGraph, last: str) -> str:
    """The owner and country of a chain's last (cut) node, as " (owned by X, US)", " (US)" or ""."""
    d = g.nodes[last]
    if d.get("kind") == "supplier":
        owners = ownership_chain(g, last)
        top = owners[-1]
        code = g.nodes[top].get("country") or "?"
        return f" (owned by {top}, {code})" if top != last else f" ({code})"
    if d.get("kind") == "location" and d.get("country"):
        return f" ({d['country']})"
    return ""


def chain_text(g: nx.MultiDiGraph, chain: list[str], skipped: int = 0, notes: dict[str, str] | None = None) -> str:
    """The chain as text, the last (cut) node annotated with its owner and country.

    ``skipped``: the number of nodes left out after the first ``CHAIN_HEAD``
    (see :meth:`Propagation.brief_chain`), shown as "… N more …".
    ``notes`` remembers the annotation of each cut node between calls.
    """
    last = chain[-1]
    if notes is None:
        note = _cut_note(g, last)
    elif (note := notes.get(last)) is None:
        note = notes[last] = _cut_note(g, last)
    if skipped:
        return " → ".join([*chain[:CHAIN_HEAD], f"… {skipped:,} more …", *chain[CHAIN_HEAD:]]) + note
    return " → ".join(chain) + note


def item(g: nx.MultiDiGraph, node: str, prop: Propagation | None = None, *, full_chain: bool = False,
         notes: dict[str, str] | None = None) -> dict:
    """A node as a report row: id, kind, name, criticality/classification, and its why-chain.

    ``why`` lists the chain's ids, abbreviated when long (then ``why_skipped``
    says how many ids were left out after the first ``CHAIN_HEAD``) unless
    ``full_chain``; ``chain_length`` is the number of ids in the whole chain.
    """
    d = g.nodes[node]
    row = {"id": node, "kind": d["kind"], "name": d.get("name")}
    if d["kind"] == "process":
        row["criticality"] = d.get("criticality")
    if d["kind"] == "dataset":
        row["classification"] = d.get("classification")
        row["personal_data"] = d.get("personal_data")
    if prop is not None:
        chain, skipped = (prop.chain(node), 0) if full_chain else prop.brief_chain(node)
        row["why"] = chain
        row["chain_length"] = len(chain) + skipped
        if skipped:
            row["why_skipped"] = skipped
        row["why_text"] = chain_text(g, chain, skipped, notes)
    return row


def impact(g: nx.MultiDiGraph, scenario: Scenario, full_chains: bool = False) -> dict:
    """Return the failed and degraded items of a scenario, most critical first.

    ``failed``: stops working. ``degraded``: still works but lost alternatives.
    The cut nodes themselves are listed under ``cut``. Long why-chains are
    abbreviated (see :func:`item`) unless ``full_chains``: the full chains of
    every node of a long cycle add up to the square of its length.
    """
    for c in scenario.countries:
        if parse_country(c) is None:
            raise SovmapError(f'"{c}" is not a country code. Use the two-letter ISO code, e.g. US, CN, GB.')
    scenario.countries = [parse_country(c) for c in scenario.countries]
    cut = scenario_cut(g, scenario)
    prop = propagate(g, cut)
    failed = sorted(prop.failed, key=lambda n: severity_key(g, n))
    degraded = sorted(prop.degraded, key=lambda n: severity_key(g, n))
    notes: dict[str, str] = {}
    return {
        "scenario": scenario.describe(),
        "cut": [item(g, n) for n in sorted(cut, key=lambda n: severity_key(g, n))],
        "failed": [item(g, n, prop, full_chain=full_chains, notes=notes) for n in failed],
        "degraded": [item(g, n, prop, full_chain=full_chains, notes=notes) for n in degraded],
    }
