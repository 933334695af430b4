"""Supplier names matched to the supplier catalogue, with a score; reviewed matches fill in countries and owners.

An inventory names its suppliers as people write them ("Microsoft Corp.",
"centric netherlands bv", "AWS"). :func:`match_name` finds the catalogue
entries (``ontology/reference/suppliers.yaml``) that a name stands for, by
name, alias and catalogue id, and scores each:

=====  ===========================================================================
score  when
=====  ===========================================================================
100    the same name, alias or catalogue id (case, accents and punctuation ignored)
97     the same name once legal forms are dropped ("Microsoft" ~ "Microsoft Corporation")
88     the same distinctive words, other generic words ("Esri Nederland" ~ "Esri";
       generic: country names, group, holding, software, systems, services ...)
< 97   a close spelling of the distinctive words (rapidfuzz token-sort ratio, e.g. a
       typo), or at most 85 when one only contains the other ("Atos Medical" ~ "Atos")
=====  ===========================================================================

Catalogue ids and all-capital aliases (tickers, abbreviations) are only
matched exactly, short names (under five letters) are not matched for
spelling, only as a whole word; candidates under 75 are not listed. A match is
**ambiguous** when the runner-up scores within 3 points and belongs to another
ownership group; ties within one group go to the entry highest in the chain
("Microsoft" is Microsoft Corporation, not Microsoft B.V.).
:func:`apply_matches` applies only unambiguous matches at or above a minimum
score: it records ``catalogue_id``, fills the supplier's empty country, LEI,
headquarters and listing countries and ownership facts (``ownership`` = the
entry's ownership status, ``ownership_source``, ``ownership_checked``), and,
where the inventory gives no owner, adds the catalogue's ownership chain
(parents become suppliers with their own ``parent_id``) and its significant
co-owners (``co_owned_by`` edges with their ``share``). Suppliers that
turn out to be the same catalogue entry ("AFAS" and "AFAS Software B.V.") are
merged into one, so that cutting the company cuts everything it provides.
Values in the inventory always win; where they differ from the catalogue this
is reported.

:func:`resolve_catalogue_ids` lets an inventory name a catalogue supplier by
its id (``CAT-...``) in any supplier reference: the supplier rows (and their
owners) are added from the catalogue.

Examples
--------
>>> cat = load_catalogue()
>>> [(c.entry.id, c.score) for c in match_name("Microsoft Corp.", cat)[:2]]
[('CAT-MICROSOFT', 100.0), ('CAT-MICROSOFT-NL', 97.0)]
>>> match_name("centric netherlands bv", cat)[0].entry.id
'CAT-CENTRIC'
>>> match_name("Gemeentelijk Bureau Voorbeeld", cat)
[]
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache

import networkx as nx
from rapidfuzz import fuzz

from sovmap.graph.model import add_meaning, edge_rows
from sovmap.graph.ownership import ownership_chain, parent_of
from sovmap.ontology.countries import country
from sovmap.ontology.vocab import DEPENDENCY, normalise_token, vocabulary

from .catalogue import Catalogue, CatalogueSupplier, load_catalogue
from .flatlist import CATALOGUE_ID
from .names import core_name, fold_name, fold_text
from .problems import Problem
from .read import RawTable

__all__ = ["Candidate", "Match", "Applied", "DEFAULT_MIN_SCORE", "match_name", "match_suppliers", "apply_matches",
           "resolve_catalogue_ids", "load_catalogue"]

#: Matches below this score are proposed, never applied without a lower --min-score.
DEFAULT_MIN_SCORE = 90.0
_AMBIGUITY_MARGIN = 3.0
_CONTAINS_CAP = 85.0
_SAME_CORE = 88.0


@dataclass(frozen=True)
class Candidate:
    """A catalogue entry a name may stand for, the score and the catalogue name or alias that matched."""

    entry: CatalogueSupplier
    score: float
    matched: str


@dataclass(frozen=True)
class Match:
    """The catalogue candidates for one supplier of an inventory, best first."""

    supplier_id: str
    name: str
    candidates: tuple[Candidate, ...]
    ambiguous: bool = False

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def accepted(self, min_score: float = DEFAULT_MIN_SCORE) -> bool:
        """True when the best candidate is unambiguous and scores at least ``min_score``."""
        return self.best is not None and not self.ambiguous and self.best.score >= min_score


@dataclass
class Applied:
    """What :func:`apply_matches` changed, per supplier."""

    supplier_id: str
    entry_id: str
    filled: list[str] = field(default_factory=list)  # "country=US", "parent_id=CAT-MICROSOFT", ...
    added: list[str] = field(default_factory=list)  # ids of parent suppliers added from the catalogue
    merged: list[str] = field(default_factory=list)  # ids of suppliers that were the same catalogue entry, merged into this one


@cache
def _index(cat: Catalogue) -> tuple[tuple[str, str, str, str, CatalogueSupplier], ...]:
    """(exact key, folded name, core name, shown name, entry) for every id, name and alias."""
    out = []
    for e in cat:
        out.append((fold_text(e.id), "", "", e.id, e))  # ids match exactly only
        for text in (e.name, *e.aliases):
            out.append((fold_text(text), fold_name(text), core_name(text), text, e))
    return tuple(out)


def _depth(cat: Catalogue, entry_id: str) -> int:
    return len(cat.chain(entry_id))


def match_name(name: str, catalogue: Catalogue | None = None, *, limit: int = 3, floor: float = 75.0) -> list[Candidate]:
    """Catalogue entries ``name`` may stand for, best first (at most ``limit``, none under ``floor``).

    >>> cat = load_catalogue()
    >>> [(c.entry.id, c.score) for c in match_name("Microsfot", cat, limit=1)]
    [('CAT-MICROSOFT', 89.0)]
    >>> [(c.entry.id, c.score) for c in match_name("Atos Medical", cat, limit=1)]
    [('CAT-ATOS', 85.0)]
    """
    cat = catalogue or load_catalogue()
    exact, folded, core = fold_text(name), fold_name(name), core_name(name)
    if not exact:
        return []
    best: dict[str, Candidate] = {}
    for key, fkey, ckey, shown, e in _index(cat):
        if key == exact:
            score = 100.0
        elif fkey and fkey == folded:
            score = 97.0
        elif not ckey or shown.isupper():  # ids, tickers and abbreviations (MSFT, AWS): exact only
            continue
        elif ckey == core:
            score = _SAME_CORE
        elif len(core) < 5 or len(ckey) < 5:  # short names: only as a whole word of the other
            score = float(round(fuzz.token_set_ratio(core, ckey) * _CONTAINS_CAP / 100))
        else:
            ratio = fuzz.token_sort_ratio(core, ckey)
            contains = fuzz.token_set_ratio(core, ckey) * _CONTAINS_CAP / 100
            score = float(round(min(max(ratio, contains), 96.0)))
        if score >= floor and (e.id not in best or score > best[e.id].score):
            best[e.id] = Candidate(e, score, shown)
    # Best first; within a score, the entry highest in its ownership chain, then catalogue order.
    order = {e.id: i for i, e in enumerate(cat)}
    ranked = sorted(best.values(), key=lambda c: (-c.score, _depth(cat, c.entry.id), order[c.entry.id]))
    return ranked[:limit]


def _ambiguous(cat: Catalogue, candidates: list[Candidate]) -> bool:
    if len(candidates) < 2:
        return False
    first, second = candidates[0], candidates[1]
    if first.score - second.score > _AMBIGUITY_MARGIN:
        return False
    return cat.chain(first.entry.id)[-1] != cat.chain(second.entry.id)[-1]


def match_suppliers(g: nx.MultiDiGraph, catalogue: Catalogue | None = None, *, limit: int = 3) -> list[Match]:
    """Catalogue candidates for every supplier of an inventory graph, in id order.

    A supplier that already names its catalogue entry (id ``CAT-...`` or a
    ``catalogue_id`` column) is matched to it with score 100.
    """
    cat = catalogue or load_catalogue()
    out = []
    for n in sorted(x for x, k in g.nodes(data="kind") if k == "supplier"):
        d = g.nodes[n]
        known = d.get("catalogue_id") or (n if n in cat else None)
        if known and known in cat:
            e = cat.get(known)
            out.append(Match(n, d.get("name", n), (Candidate(e, 100.0, known),)))
            continue
        cands = match_name(d.get("name", n), cat, limit=max(limit, 2))
        out.append(Match(n, d.get("name", n), tuple(cands[:limit]), _ambiguous(cat, cands)))
    return out


def _co_owners(g: nx.MultiDiGraph, n: str) -> list[str]:
    return [t for _, t, k in g.out_edges(n, keys=True) if k == "co_owned_by"]


def _set_country(g: nx.MultiDiGraph, n: str, code: str) -> None:
    g.nodes[n]["country"] = code
    node = f"country:{code}"
    if node not in g:
        g.add_node(node, kind="country", name=country(code).name, code=code)
    g.add_edge(n, node, key="registered_in")


def apply_matches(g: nx.MultiDiGraph, matches: list[Match], catalogue: Catalogue | None = None, *,
                  min_score: float = DEFAULT_MIN_SCORE, source: str = "") -> tuple[nx.MultiDiGraph, list[Applied], list[Problem]]:
    """A copy of ``g`` with accepted matches applied (see the module docstring), what changed, and disagreements.

    Parameters
    ----------
    g
        The inventory graph.
    matches
        From :func:`match_suppliers`.
    catalogue
        The catalogue (the packaged one by default).
    min_score
        Matches below this score, and ambiguous ones, are not applied.
    source
        The inventory's name, used in problems.
    """
    cat = catalogue or load_catalogue()
    g = g.copy()
    applied: list[Applied] = []
    problems: list[Problem] = []
    accepted = [m for m in matches if m.accepted(min_score) and m.supplier_id in g]
    by_entry: dict[str, list[Match]] = {}
    for m in accepted:
        by_entry.setdefault(m.best.entry.id, []).append(m)
    merged_into: dict[str, list[str]] = {}
    for entry_id, ms in by_entry.items():
        if len(ms) > 1:  # "AFAS" and "AFAS Software B.V.": one company, one supplier
            keep = _keeper(g, [m.supplier_id for m in ms], cat.get(entry_id))
            merged_into[keep] = [m.supplier_id for m in ms if m.supplier_id != keep]
            for other in merged_into[keep]:
                problems.extend(_merge(g, other, keep, source))
    accepted = [m for m in accepted if m.supplier_id in g]
    node_of_entry: dict[str, str] = {}
    for m in accepted:
        node_of_entry.setdefault(m.best.entry.id, m.supplier_id)
    for n, d in g.nodes(data=True):
        if d.get("kind") == "supplier" and d.get("catalogue_id"):
            node_of_entry.setdefault(d["catalogue_id"], n)

    def disagree(n: str, column: str, mine: str, theirs: str, entry: CatalogueSupplier) -> None:
        problems.append(Problem("catalogue-disagrees", source or "(inventory)", None, column, mine,
                                f'{g.nodes[n].get("name", n)} ({n}): the inventory says {column} "{mine}", the catalogue '
                                f'({entry.id}, {entry.name}) says "{theirs}"; the inventory\'s value was kept.',
                                "Check which is right; correct the inventory or leave it if the catalogue is out of date."))

    def fill(n: str, e: CatalogueSupplier, rec: Applied) -> None:
        d = g.nodes[n]
        log = rec.filled if n == rec.supplier_id else []  # added owners are listed in rec.added
        if not d.get("catalogue_id"):
            d["catalogue_id"] = e.id
            log.append(f"catalogue_id={e.id}")
        disagrees = False
        if not d.get("country"):
            _set_country(g, n, e.country)
            log.append(f"country={e.country}")
        else:
            disagrees = d["country"] != e.country
            if disagrees:
                disagree(n, "country", d["country"], e.country, e)
        if e.lei and not d.get("lei"):
            d["lei"] = e.lei
            log.append(f"lei={e.lei}")
        for key in ("hq_country", "listing_country"):
            theirs = getattr(e, key)
            if theirs and not d.get(key):
                d[key] = theirs
                log.append(f"{key}={theirs}")
            elif theirs and d[key] != theirs:
                disagree(n, key, d[key], theirs, e)
        disagrees |= fill_owner(n, e, rec, log)
        fill_co_owners(n, e, rec, log)
        # The ownership facts come with the catalogue's owners: not where the inventory states other ones.
        if not disagrees and not d.get("ownership"):
            d["ownership"] = e.ownership_status
            log.append(f"ownership={e.ownership_status}")
            if e.ownership_source and not d.get("ownership_source"):
                d["ownership_source"] = e.ownership_source.url
                log.append(f"ownership_source={e.ownership_source.url}")
            if e.ownership_verified and not d.get("ownership_checked"):
                d["ownership_checked"] = e.ownership_verified
                log.append(f"ownership_checked={e.ownership_verified}")

    def supplier_for(entry_id: str, rec: Applied) -> str:
        """The inventory node of a catalogue entry, added (with its own owners) when missing."""
        node = node_of_entry.get(entry_id)
        if node is None:
            pe = cat.get(entry_id)
            node = pe.id if pe.id not in g else f"{pe.id}-CATALOGUE"
            g.add_node(node, kind="supplier", name=pe.name)
            node_of_entry[pe.id] = node
            rec.added.append(node)
            fill(node, pe, rec)  # the owners' owners are added too
        return node

    def fill_owner(n: str, e: CatalogueSupplier, rec: Applied, log: list[str]) -> bool:
        """Add the catalogue's controlling owner; True when the inventory states another one."""
        mine = parent_of(g, n)
        if e.parent is None:
            return False
        if mine is not None:
            theirs = node_of_entry.get(e.parent)
            if mine != theirs and g.nodes[mine].get("catalogue_id") != e.parent:
                disagree(n, "parent_id", mine, e.parent, e)
                return True
            return False
        parent = supplier_for(e.parent, rec)
        if n in ownership_chain(g, parent):
            disagree(n, "parent_id", "(none)", e.parent, e)  # the inventory's own owners would run in a circle
            return True
        g.add_edge(n, parent, key="owned_by")
        log.append(f"parent_id={parent}")
        return False

    def fill_co_owners(n: str, e: CatalogueSupplier, rec: Applied, log: list[str]) -> None:
        """Add the catalogue's co-owners where the inventory names none; report a different set."""
        if not e.co_owners:
            return
        mine = _co_owners(g, n)
        if mine:
            theirs = {c.id for c in e.co_owners}
            if {g.nodes[m].get("catalogue_id") or m for m in mine} != theirs:
                disagree(n, "co_owner_ids", " | ".join(sorted(mine)), " | ".join(sorted(theirs)), e)
            return
        for c in e.co_owners:
            node = supplier_for(c.id, rec)
            g.add_edge(n, node, key="co_owned_by", share=c.share)
            log.append(f"co_owner={node}" + (f" {c.share:g}%" if c.share is not None else ""))

    for m in accepted:
        rec = Applied(m.supplier_id, m.best.entry.id, merged=merged_into.get(m.supplier_id, []))
        fill(m.supplier_id, m.best.entry, rec)
        applied.append(rec)
    return g, applied, problems


def _keeper(g: nx.MultiDiGraph, nodes: list[str], entry: CatalogueSupplier) -> str:
    """Of several suppliers that are one catalogue entry, the one to keep: named like the entry, else the most used."""
    same = [n for n in nodes if fold_name(g.nodes[n].get("name", "")) == fold_name(entry.name)]
    return min(same or nodes, key=lambda n: (-g.degree(n), n))


def _merge(g: nx.MultiDiGraph, other: str, keep: str, source: str) -> list[Problem]:
    """Move ``other``'s relations and missing values to ``keep`` and remove it; report values that differ."""
    problems = []
    for u, _, k, d in list(g.in_edges(other, keys=True, data=True)):
        if u == keep:
            continue
        if g.has_edge(u, keep, key=k):  # both were used: the merged supplier keeps every meaning of both
            _merge_meanings(g.edges[u, keep, k], d)
        else:
            g.add_edge(u, keep, key=k, **d)
    for _, t, k, d in list(g.out_edges(other, keys=True, data=True)):
        if t == keep:
            continue
        if g.has_edge(keep, t, key=k):
            if k not in ("owned_by", "registered_in", "co_owned_by"):
                _merge_meanings(g.edges[keep, t, k], d)
            continue
        if k in ("owned_by", "registered_in") and any(kk == k for _, _, kk in g.out_edges(keep, keys=True)):
            mine = next(tt for _, tt, kk in g.out_edges(keep, keys=True) if kk == k)
            problems.append(Problem("conflicting-value", source or "(inventory)", None,
                                    "parent_id" if k == "owned_by" else "country", t,
                                    f"{g.nodes[other].get('name')} ({other}) was merged into {g.nodes[keep].get('name')} ({keep}), "
                                    f'which already has {mine}; "{t}" was not used.', "Check which is right."))
            continue
        g.add_edge(keep, t, key=k, **d)
    for attr, value in g.nodes[other].items():
        if value and not g.nodes[keep].get(attr):
            g.nodes[keep][attr] = value
    g.remove_node(other)
    return problems


def _merge_meanings(target: dict, extra: dict) -> None:
    """Add every meaning of a dependency edge (required, member of a group) to another edge's attributes."""
    for group, k in edge_rows(extra):
        add_meaning(target, group, k)


def _reference_columns(kind: str) -> set[str]:
    """Folded headers of a kind's columns that refer to suppliers."""
    v = vocabulary()
    out: set[str] = set()
    columns = v.dependency_columns if kind == DEPENDENCY else v.kind(kind).columns
    for c in columns:
        if c.key in ("from_id", "to_id") or (c.relation and "supplier" in v.relation(c.relation).range):
            out.update(c.aliases)
    return out


def resolve_catalogue_ids(tables: list[RawTable], catalogue: Catalogue | None = None) -> tuple[list[RawTable], list[Problem]]:
    """Add supplier rows for catalogue ids (``CAT-...``) the inventory refers to, with their owners.

    A supplier row whose id is a catalogue id gets its empty name, country,
    parent and LEI from the catalogue; a reference to a catalogue id that has
    no row gets a new row; owners up the chain are added the same way. An id
    that looks like a catalogue id but is not in it is an error.

    >>> from sovmap.ingest.read import read_files
    >>> tables, _ = read_files([("systems.csv", b"id,name,supplier_id\\nSYS-1,Mail,CAT-MICROSOFT-IE\\n")])
    >>> tables, problems = resolve_catalogue_ids(tables)
    >>> [r[1][:4] for r in tables[-1].rows]
    [['CAT-MICROSOFT-IE', 'Microsoft Ireland Operations Limited', 'IE', 'CAT-MICROSOFT'], ['CAT-MICROSOFT', 'Microsoft Corporation', 'US', '']]
    """
    cat = catalogue or load_catalogue()
    v = vocabulary()
    problems: list[Problem] = []
    ids = set()
    for t in tables:
        if t.kind == DEPENDENCY:
            continue
        idx = next((i for i, h in enumerate(t.header) if normalise_token(h) in v.kind(t.kind).column("id").aliases), None)
        if idx is not None:
            ids.update(c[idx].strip() for _, c in t.rows if idx < len(c))
    wanted: list[tuple[str, RawTable, int, str]] = []
    for t in tables:
        cols = _reference_columns(t.kind)
        for i, h in enumerate(t.header):
            if normalise_token(h) in cols:
                for line, cells in t.rows:
                    value = cells[i].strip() if i < len(cells) else ""
                    if CATALOGUE_ID.match(value):
                        wanted.append((value, t, line, h))
    sup = next((t for t in tables if t.kind == "supplier"), None)
    if sup is None and not wanted:
        return tables, problems
    if sup is None:
        sup = RawTable("supplier catalogue (suppliers)", "supplier", ["id", "name", "country", "parent_id", "lei"])
        tables = [*tables, sup]
    col = {}
    for key in ("id", "name", "country", "parent_id", "lei"):
        c = v.kind("supplier").column(key)
        idx = next((i for i, h in enumerate(sup.header) if normalise_token(h) in c.aliases), None)
        if idx is None:
            sup.header.append(key)
            idx = len(sup.header) - 1
        col[key] = idx
    width = len(sup.header)
    rows_by_id = {}
    for _, cells in sup.rows:
        cells.extend([""] * (width - len(cells)))
        rows_by_id[cells[col["id"]].strip()] = cells
    next_line = max((line for line, _ in sup.rows), default=1) + 1

    def ensure(entry_id: str) -> None:
        nonlocal next_line
        e = cat.get(entry_id)
        cells = rows_by_id.get(entry_id)
        if cells is None:
            cells = [""] * width
            cells[col["id"]] = entry_id
            sup.rows.append((next_line, cells))
            next_line += 1
            rows_by_id[entry_id] = cells
            ids.add(entry_id)
        for key, value in (("name", e.name), ("country", e.country), ("lei", e.lei or ""), ("parent_id", e.parent or "")):
            current = cells[col[key]].strip()
            if not current or (key == "name" and current.upper() == entry_id):
                cells[col[key]] = value
        parent = cells[col["parent_id"]].strip()
        if parent and CATALOGUE_ID.match(parent) and parent in cat and parent not in rows_by_id:
            ensure(parent)

    for line, cells in list(sup.rows):
        sid = cells[col["id"]].strip()
        if CATALOGUE_ID.match(sid) and sid in cat:
            ensure(sid)
        elif CATALOGUE_ID.match(sid) and cells[col["name"]].strip().upper() in ("", sid.upper()):
            ids.discard(sid)  # a row that only names a catalogue id: the id must be in the catalogue
            wanted.append((sid, sup, line, sup.header[col["id"]]))
    reported: set[str] = set()
    for value, t, line, header in wanted:
        if value in cat:
            if value not in rows_by_id:
                ensure(value)
        elif value not in ids and value not in reported:
            reported.add(value)
            hit = difflib.get_close_matches(value.upper(), [e.id for e in cat], n=1, cutoff=0.6)
            problems.append(Problem("unknown-catalogue-id", t.file, line, header, value,
                                    f'"{value}" looks like a supplier catalogue id but is not in the catalogue.',
                                    (f'Did you mean "{hit[0]}"? ' if hit else "")
                                    + "Run `sovmap suppliers match` to find catalogue ids by name."))
    return tables, problems
