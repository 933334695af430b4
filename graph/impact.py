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
from sovmap.ontology.vocab import vocabulary

from .errors import SovmapError
from .ownership import ReachEntry, european_verdict, ownership_chain, reach_cut, reach_note
from .propagation import CHAIN_HEAD, Propagation, propagate
from .scenarios import Scenario, scenario_cut

__all__ = ["impact", "item", "chain_text", "supplier_note", "severity_key", "KIND_ORDER"]

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


@gc_paused()  # a national report is a few hundred thousand small rows: collections would walk the graph each time
def impact(g: nx.MultiDiGraph, scenario: Scenario, policy=None, full_chains: bool = False) -> dict:
    """Return the failed and degraded items of a scenario, most critical first.

    ``failed``: stops working. ``degraded``: still works but lost alternatives.
    The cut nodes themselves are listed under ``cut``. ``policy``: the legal
    reach of a country cut (a policy or its ``reach``; the default when None).
    Long why-chains are abbreviated (see :func:`item`) unless ``full_chains``:
    the full chains of every node of a long cycle add up to the square of its length.
    The rows are built in bulk: sort keys and chains from arrays, one note per cut node.
    """
    for c in scenario.countries:
        if parse_country(c) is None:
            raise SovmapError(f'"{c}" is not a country code. Use the two-letter ISO code, e.g. US, CN, GB.')
    scenario.countries = [parse_country(c) for c in scenario.countries]
    cut = scenario_cut(g, scenario, policy)
    prop = propagate(g, cut)
    notes: dict[str, str] = {}
    if scenario.countries:  # name the path that brings each supplier within the countries' reach
        reached = reach_cut(g, scenario.countries, policy)
        named = set(scenario.suppliers)
        notes = {s: supplier_note(g, s, entry) for s, entry in reached.items() if s not in named}
    ranks = _Ranks()
    if full_chains:
        failed = sorted(prop.failed, key=lambda n: severity_key(g, n))
        degraded = sorted(prop.degraded, key=lambda n: severity_key(g, n))
        rows = {"failed": [item(g, n, prop, notes, full_chain=True) for n in failed],
                "degraded": [item(g, n, prop, notes, full_chain=True) for n in degraded]}
    else:
        rows = {which: _rows(g, prop, _by_severity(g, prop.index, getattr(prop, f"{which}_pos"), ranks), notes)
                for which in ("failed", "degraded")}
    return {
        "scenario": scenario.describe(),
        "cut": [item(g, n) for n in sorted(cut, key=lambda n: severity_key(g, n))],
        **rows,
    }


class _Ranks:
    """criticality + classification rank of a node's attributes, looked up once per distinct value pair."""

    def __init__(self):
        self.known: dict[tuple, int] = {}

    def __call__(self, d: dict) -> int:
        key = (d.get("criticality"), d.get("classification"))
        r = self.known.get(key)
        if r is None:
            r = self.known[key] = _rank("criticality", key[0]) + _rank("classification", key[1])
        return r


def _by_severity(g: nx.MultiDiGraph, idx, pos: np.ndarray, ranks: _Ranks) -> np.ndarray:
    """The node positions ``pos`` in the order of :func:`severity_key`, sorted in bulk."""
    if not len(pos):
        return pos
    order = idx.memo.get("id_order")  # each node's place among all ids in string order, once per index
    if order is None:
        order = np.empty(len(idx.ids), dtype=np.int64)
        order[sorted(range(len(idx.ids)), key=idx.ids.__getitem__)] = np.arange(len(idx.ids))
        idx.memo["id_order"] = order
    kind, rank = [], []
    for d in map(g._node.__getitem__, idx.names(pos)):
        kind.append(KIND_ORDER.get(d["kind"], 9))
        rank.append(-ranks(d))
    return pos[np.lexsort((order[pos], np.asarray(rank), np.asarray(kind)))]


def _rows(g: nx.MultiDiGraph, prop: Propagation, positions: np.ndarray, notes: dict[str, str]) -> list[dict]:
    """:func:`item` rows of the nodes at ``positions`` (in that order), with brief chains, built in bulk."""
    ids = prop.index.names(positions)
    chains, skipped = prop.brief_chains(positions)
    tails: dict[str, str] = {}  # a chain ends at a cut node: its note, once per cut node
    nodes = g._node
    out = []
    for node, chain, skip in zip(ids, chains, skipped):
        d = nodes[node]
        kind = d["kind"]
        row = {"id": node, "kind": kind, "name": d.get("name")}
        if kind == "process":
            row["criticality"] = d.get("criticality")
        elif kind == "dataset":
            row["classification"] = d.get("classification")
            row["personal_data"] = d.get("personal_data")
        row["why"] = chain
        row["chain_length"] = len(chain) + skip
        last = chain[-1]
        tail = tails.get(last)
        if tail is None:
            tail = tails[last] = chain_text(g, [last], notes)[len(last):]
        if skip:
            row["why_skipped"] = skip
            row["why_text"] = " → ".join([*chain[:CHAIN_HEAD], f"… {skip:,} more …", *chain[CHAIN_HEAD:]]) + tail
        else:
            row["why_text"] = " → ".join(chain) + tail
        out.append(row)
    return out
