"""Turning what a user typed for an id (any case, or a supplier's name) into the graph's id, once, for every command."""

from __future__ import annotations

import difflib
import re
import sys
from typing import Callable

import networkx as nx

from sovmap.graph.errors import SovmapError, UnknownNodeError
from sovmap.graph.model import nodes_of_kind

__all__ = ["AmbiguousNameError", "resolve_id", "resolve_ids"]


class AmbiguousNameError(SovmapError):
    """A name that fits several nodes; the message lists them so the user can pick an id."""

    def __init__(self, text: str, kind: str, candidates: list[tuple[str, str]]):
        listed = "; ".join(f"{i} ({name})" for i, name in candidates[:10])
        more = f"; and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        super().__init__(f'"{text}" fits {len(candidates)} {kind}s: {listed}{more}. Give one of these ids.')
        self.candidates = candidates


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr)


def _owner_of_all(g: nx.MultiDiGraph, candidates: list[str]) -> str | None:
    """The one of ``candidates`` that owns (directly or up its chain) all the others; None when there is none."""
    from sovmap.graph.ownership import ownership_chain

    chains = {c: set(ownership_chain(g, c)) for c in candidates}
    owners = [c for c in candidates if all(c in chains[o] for o in candidates)]
    return owners[0] if len(owners) == 1 else None


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _aliases(g: nx.MultiDiGraph, ids: list[str]) -> dict[str, list[str]]:
    """The catalogue entry's aliases of each supplier that carries a catalogue_id (none when the catalogue cannot be read)."""
    linked = {i: g.nodes[i].get("catalogue_id") for i in ids if g.nodes[i].get("catalogue_id")}
    if not linked:
        return {}
    try:
        from sovmap.ingest.catalogue import load_catalogue

        cat = load_catalogue()
    except Exception:  # a broken or absent catalogue only loses the aliases, never the answer
        return {}
    out = {}
    for i, cat_id in linked.items():
        try:
            out[i] = list(cat.get(cat_id).aliases or ())
        except Exception:  # an id the catalogue does not hold
            continue
    return out


def resolve_id(g: nx.MultiDiGraph, text: str, kind: str, *, by_name: bool = False,
               note: Callable[[str], None] = _to_stderr) -> str:
    """The id of the ``kind`` node that ``text`` names: its id in any case, or (``by_name``) its name or alias.

    A name matches whole (case and spacing ignored), else as the start of a
    word in names (three characters at least); a part that fits several nodes raises :class:`AmbiguousNameError` listing
    them, unless one of these suppliers owns all the others (a group's parent and its subsidiaries): then that
    parent is taken and ``note`` says so (on standard error by default). Nothing fitting raises :class:`UnknownNodeError` with a "did you
    mean".

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("S-KYN", kind="supplier", name="Kynthos Cloud Inc.")
    >>> g.add_node("S-KYN-IE", kind="supplier", name="Kynthos Cloud Ireland Ltd")
    >>> resolve_id(g, "s-kyn", "supplier")
    'S-KYN'
    >>> resolve_id(g, "kynthos cloud inc.", "supplier", by_name=True)
    'S-KYN'
    >>> resolve_id(g, "Ireland", "supplier", by_name=True)
    'S-KYN-IE'
    >>> resolve_id(g, "loud ireland", "supplier", by_name=True)
    Traceback (most recent call last):
    ...
    sovmap.graph.errors.SovmapError: "loud ireland" is not a known supplier id or name. Did you mean "S-KYN-IE" (Kynthos Cloud Ireland Ltd)?
    >>> resolve_id(g, "Kynthos", "supplier", by_name=True)
    Traceback (most recent call last):
    ...
    sovmap.cli.ids.AmbiguousNameError: "Kynthos" fits 2 suppliers: S-KYN (Kynthos Cloud Inc.); S-KYN-IE (Kynthos Cloud Ireland Ltd). Give one of these ids.
    >>> _ = g.add_edge("S-KYN-IE", "S-KYN", key="owned_by")  # now one group: its parent is meant
    >>> resolve_id(g, "Kynthos", "supplier", by_name=True, note=print)
    "Kynthos" fits S-KYN (Kynthos Cloud Inc.) and 1 company it owns (S-KYN-IE); taking their parent S-KYN. Give an id to name one company.
    'S-KYN'
    >>> resolve_id(g, "s-kym", "supplier")
    Traceback (most recent call last):
    ...
    sovmap.graph.errors.SovmapError: "s-kym" is not a known supplier id. Did you mean "S-KYN"?
    """
    ids = nodes_of_kind(g, kind)
    text = str(text).strip()
    if text in g and g.nodes[text].get("kind") == kind:
        return text
    key = _norm(text)
    same = [i for i in ids if _norm(i) == key]
    if len(same) == 1:
        return same[0]
    if len(same) > 1:
        raise AmbiguousNameError(text, kind, [(i, g.nodes[i].get("name") or "") for i in same])
    hit = difflib.get_close_matches(key, [_norm(i) for i in ids], n=1, cutoff=0.8)
    if hit:
        i = next(i for i in ids if _norm(i) == hit[0])
        raise SovmapError(f'"{text}" is not a known {kind} id. Did you mean "{i}"?')
    if by_name and key:
        aliases = _aliases(g, ids)
        names = {i: [g.nodes[i].get("name") or "", *aliases.get(i, ())] for i in ids}
        whole = [i for i in ids if any(_norm(n) == key for n in names[i] if n)]
        starts = re.compile(r"(?:^|\W)" + re.escape(key))  # a part must begin a word: "rijn", not "jnst"
        part = whole or ([i for i in ids if any(starts.search(_norm(n)) for n in names[i] if n)] if len(key) >= 3 else [])
        if len(part) == 1:
            return part[0]
        owner = _owner_of_all(g, part) if kind == "supplier" and len(part) > 1 else None
        if owner is not None:
            owned = [i for i in part if i != owner]
            note(f'"{text}" fits {owner} ({g.nodes[owner].get("name") or owner}) and {len(owned)} '
                 f'compan{"y" if len(owned) == 1 else "ies"} it owns ({", ".join(owned)}); taking their parent '
                 f'{owner}. Give an id to name one company.')
            return owner
        if part:
            raise AmbiguousNameError(text, kind, [(i, g.nodes[i].get("name") or "") for i in part])
        words = len(key.split())
        by_lower: dict[str, set[str]] = {}
        for i in ids:
            for n in [*names[i], i]:
                if n:
                    by_lower.setdefault(_norm(n), set()).add(i)
                    by_lower.setdefault(" ".join(_norm(n).split()[:words]), set()).add(i)
        hit = difflib.get_close_matches(key, list(by_lower), n=1, cutoff=0.6)
        if hit:
            near = ", ".join(f'"{i}" ({g.nodes[i].get("name")})' for i in sorted(by_lower[hit[0]])[:5])
            raise SovmapError(f'"{text}" is not a known {kind} id or name. Did you mean {near}?')
        raise SovmapError(f'"{text}" is not a known {kind} id or name. See `sovmap list PATH --kind {kind}`.')
    hit = difflib.get_close_matches(key, [_norm(i) for i in ids], n=1, cutoff=0.6)
    if hit:
        i = next(i for i in ids if _norm(i) == hit[0])
        raise SovmapError(f'"{text}" is not a known {kind} id. Did you mean "{i}"?')
    raise UnknownNodeError(text, kind, ids)


def resolve_ids(g: nx.MultiDiGraph, texts, kind: str, *, by_name: bool = False,
                note: Callable[[str], None] = _to_stderr) -> list[str]:
    """:func:`resolve_id` for each of ``texts``, in order."""
    return [resolve_id(g, t, kind, by_name=by_name, note=note) for t in texts]
