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
>>> r["failed"][0]["why_text"]
'P-WEB → SYS-WEB → S-KYN (US)'

A country cut names the path of ownership that brings a supplier within reach:

>>> g.add_node("S-WP", kind="supplier", name="Warburg Pincus", country="US")
>>> g.nodes["S-KYN"]["country"] = "NL"
>>> _ = g.add_edge("S-KYN", "S-WP", key="co_owned_by", share=50.0)
>>> impact(g, Scenario(countries=["US"]))["failed"][0]["why_text"]
'P-WEB → SYS-WEB → S-KYN (owned by S-WP, US, co-owner 50%)'
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from sovmap.ingest.read import gc_paused
from sovmap.ontology.countries import country, parse_country

from .dependency_index import DependencyIndex, dependency_index
from .errors import SovmapError
from .impact_rows import KIND_ORDER, LEVEL_OF, ImpactRows, _per_node, _rank
from .ownership import ReachEntry, european_verdict, ownership_chain, reach_cut, reach_note
from .propagation import CHAIN_HEAD, Propagation, propagate
from .scenarios import Scenario, owned_children, scenario_cut

__all__ = ["impact", "item", "chain_text", "supplier_note", "severity_key", "ImpactRows", "KIND_ORDER"]


def severity_key(g: nx.MultiDiGraph, node: str) -> tuple:
    """Sort key: processes first, then data sets, systems...; within a kind the most critical first, then the id.

    A process ranks by its criticality, a data set by its classification
    (:data:`LEVEL_OF`: the level a row shows); other kinds by id alone.
    """
    d = g.nodes[node]
    attr = LEVEL_OF.get(d["kind"])
    return (KIND_ORDER.get(d["kind"], 9), -_rank(attr, d.get(attr)) if attr else 0, node)


def supplier_note(g: nx.MultiDiGraph, supplier: str, reach: ReachEntry | None = None, policy=None) -> str:
    """Who owns a cut supplier and under whose law it falls, for a why-text.

    ``reach``: the path that brought it within a country cut's reach. Otherwise
    the controlling owner and its country, plus the path to a non-EU/EEA
    country or the unknown ownership where that decides the verdict.
    """
    if reach is not None:
        return reach_note(g, reach)
    owners = ownership_chain(g, supplier)
    top = owners[-1]
    code = g.nodes[top].get("country") or "?"
    note = f"owned by {top}, {code}" if top != supplier else code
    verdict = european_verdict(g, supplier, policy)
    if verdict.european is False and (code == "?" or country(code).eea):
        note += f"; {verdict.reason}"
    elif verdict.european is None:
        note += f"; ownership unknown: {verdict.reason}"
    return note


def chain_text(g: nx.MultiDiGraph, chain: list[str], notes: dict[str, str] | None = None, skipped: int = 0) -> str:
    """The chain as text, the last (cut) node annotated with its owner and country.

    ``notes``: a supplier → note cache (:func:`supplier_note`), shared across the rows of one report.
    ``skipped``: the number of nodes left out after the first ``CHAIN_HEAD``
    (see :meth:`Propagation.brief_chain`), shown as "… N more …".
    """
    body = " → ".join([*chain[:CHAIN_HEAD], f"… {skipped:,} more …", *chain[CHAIN_HEAD:]] if skipped else chain)
    last = chain[-1]
    d = g.nodes[last]
    note = ""
    if d.get("kind") == "supplier":
        if notes is None or last not in notes:
            text = supplier_note(g, last)
            if notes is None:
                return body + f" ({text})"
            notes[last] = text
        note = f" ({notes[last]})"
    elif d.get("kind") == "location" and d.get("country"):
        note = f" ({d['country']})"
    return body + note


def item(g: nx.MultiDiGraph, node: str, prop: Propagation | None = None, notes: dict[str, str] | None = None, *,
         full_chain: bool = False) -> dict:
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
        row["why_text"] = chain_text(g, chain, notes, skipped)
    return row


def _owned_children(g: nx.MultiDiGraph, idx: DependencyIndex) -> dict[str, list[str]]:
    """Each supplier's direct subsidiaries (:func:`owned_children`), once per dependency index.

    The index is rebuilt when a node or relation is added or removed, so the
    map is as current as the propagation; the suppliers are read from the
    kinds the report's rows list once per index anyway.
    """
    known = idx.memo.get("owned_children")
    if known is None:
        _, (names, kinds) = _per_node(g, idx)
        suppliers = idx.names(np.flatnonzero(kinds == names.index("supplier"))) if "supplier" in names else []
        known = idx.memo["owned_children"] = owned_children(g, suppliers)
    return known


@gc_paused()  # the columns of a national cut are a few hundred thousand small objects: no collections meanwhile
def impact(g: nx.MultiDiGraph, scenario: Scenario, policy=None, full_chains: bool = False) -> dict:
    """Return the failed and degraded items of a scenario, most critical first.

    ``failed``: stops working. ``degraded``: still works but lost alternatives.
    The cut nodes themselves are listed under ``cut``. ``policy``: the legal
    reach of a country cut (a policy or its ``reach``; the default when None).
    Long why-chains are abbreviated (see :func:`item`) unless ``full_chains``:
    the full chains of every node of a long cycle add up to the square of its length.

    ``failed`` and ``degraded`` are :class:`ImpactRows`: sorted as columns in
    bulk, each row dict (with its chain and why-text) built when it is read,
    so that counts and the first rows of a national cut cost what is shown.
    They read ``g`` when read: do not change the graph while using them.
    """
    for c in scenario.countries:
        if parse_country(c) is None:
            raise SovmapError(f'"{c}" is not a country code. Use the two-letter ISO code, e.g. US, CN, GB.')
    scenario.countries = [parse_country(c) for c in scenario.countries]
    idx = None

    def children() -> dict[str, list[str]]:  # asked once the named suppliers are checked: a typo costs no index
        nonlocal idx
        idx = dependency_index(g)
        return _owned_children(g, idx)

    cut = scenario_cut(g, scenario, policy, children)
    prop = propagate(g, cut, idx)
    notes: dict[str, str] = {}
    if scenario.countries:  # name the path that brings each supplier within the countries' reach
        reached = reach_cut(g, scenario.countries, policy)
        named = set(scenario.suppliers)
        notes = {s: supplier_note(g, s, entry) for s, entry in reached.items() if s not in named}
    tails: dict[str, str] = {}
    rows = {which: ImpactRows.by_severity(g, prop, getattr(prop, f"{which}_pos"), notes, tails, full_chain=full_chains)
            for which in ("failed", "degraded")}
    return {
        "scenario": scenario.describe(),
        "cut": [item(g, n) for n in sorted(cut, key=lambda n: severity_key(g, n))],
        **rows,
    }
