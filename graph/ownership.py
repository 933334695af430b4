"""Ownership and legal reach of suppliers: who owns whom, whose law reaches each party, and whether it is European.

A supplier's ``parent_id`` is an ``owned_by`` edge to its controlling owner; its
significant co-owners are ``co_owned_by`` edges with a ``share`` in percent
(absent: not known). A supplier group is an ultimate parent with everything it
controls, directly or indirectly.

Legal reach (:func:`legal_reach`) follows, as a :class:`ReachPolicy` says: the
countries of registration, headquarters and listing of the supplier, of every
controlling owner up the chain and of every significant co-owner (share at least
the threshold, or unknown) and their chains. The European verdict
(:func:`european_verdict`) is False when some reach country is outside the
EU/EEA; otherwise None ("ownership unknown") when some party reached has
ownership ``unknown`` or no country; otherwise True. It is never True on
missing facts. Every walk visits each party once, so a chain of thousands of
owners is answered in linear time, and ownership cycles end.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, c in [("S-ODIDO", "NL"), ("S-APAX", "GB"), ("S-WARBURG", "US"), ("S-NORD", "NL")]:
...     g.add_node(n, kind="supplier", name=n, country=c)
>>> _ = g.add_edge("S-ODIDO", "S-APAX", key="co_owned_by", share=50.0)
>>> _ = g.add_edge("S-ODIDO", "S-WARBURG", key="co_owned_by", share=50.0)
>>> [(r.country, r.role, [s.party for s in r.path]) for r in legal_reach(g, "S-ODIDO")]
[('NL', 'registration', ['S-ODIDO']), ('GB', 'registration', ['S-ODIDO', 'S-APAX']), ('US', 'registration', ['S-ODIDO', 'S-WARBURG'])]
>>> european_verdict(g, "S-ODIDO")
Verdict(european=False, reason='S-ODIDO → S-APAX (co-owner 50%): GB')
>>> g.nodes["S-NORD"]["ownership"] = "unknown"
>>> european_verdict(g, "S-NORD")
Verdict(european=None, reason='ownership of S-NORD unknown')
>>> ownership_chain(g, "S-ODIDO"), sorted(group_members(g, "S-ODIDO"))
(['S-ODIDO'], ['S-ODIDO'])
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from typing import NamedTuple

import networkx as nx

from sovmap.ontology.countries import country

from .ownership_groups import (_suppliers, chain_countries, group_members, ownership_chain,  # noqa: F401
                               parent_of, root_of, subsidiaries, supplier_groups, ultimate_parent)

__all__ = [
    "parent_of",
    "ReachPolicy",
    "DEFAULT_REACH",
    "Step",
    "ReachEntry",
    "Verdict",
    "OWNERSHIP_STATUSES",
    "ownership_status",
    "owners",
    "legal_reach",
    "reach_countries",
    "european_verdict",
    "group_verdict",
    "group_reach",
    "group_verdicts",
    "reach_sets",
    "verdicts",
    "reach_cut",
    "path_text",
    "reach_text",
    "ownership_chain",
    "ultimate_parent",
    "root_of",
    "chain_countries",
    "is_european",
    "group_members",
    "supplier_groups",
    "subsidiaries",
]

OWNERSHIP_STATUSES = ("verified", "stated", "unknown")
# Country attribute of a supplier per role in its reach.
_ROLE_KEYS = (("registration", "country"), ("headquarters", "hq_country"), ("listing", "listing_country"))
_ROLE_WORDS = {"registration": "", "headquarters": "headquarters ", "listing": "listed "}
_PATH_SHOWN = 6  # a longer path is written as its first parties, "…", and its last


@dataclass(frozen=True)
class ReachPolicy:
    """Which facts extend a supplier's legal reach (the ``reach`` section of a policy).

    ``co_owner_share``: a co-owner counts when its share is at least this many
    percent, or when its share is not known.
    """

    registration: bool = True
    headquarters: bool = True
    listing: bool = False
    owners: bool = True
    co_owners: bool = True
    co_owner_share: float = 25.0

    def as_dict(self) -> dict:
        return asdict(self)

    def roles(self) -> tuple[tuple[str, str], ...]:
        """The (role, attribute) pairs whose countries count."""
        return tuple((r, k) for r, k in _ROLE_KEYS if getattr(self, r))


DEFAULT_REACH = ReachPolicy()


class Step(NamedTuple):
    """One party on a reach path and how it was reached from the one before (``relation`` None: the start)."""

    party: str
    relation: str | None = None
    share: float | None = None


class ReachEntry(NamedTuple):
    """A country in a supplier's legal reach, the path of parties to it, and the role (registration, ...)."""

    country: str
    path: tuple[Step, ...]
    role: str


class Verdict(NamedTuple):
    """Whether a supplier (or group) is European: True, False or None (ownership unknown), and why."""

    european: bool | None
    reason: str


def ownership_status(g: nx.MultiDiGraph, supplier: str) -> str:
    """``verified``, ``stated`` or ``unknown``; an empty status is ``stated`` when a country is given.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("A", kind="supplier", name="A", country="NL")
    >>> g.add_node("B", kind="supplier", name="B")
    >>> ownership_status(g, "A"), ownership_status(g, "B")
    ('stated', 'unknown')
    """
    d = g.nodes[supplier]
    status = d.get("ownership")
    if status in OWNERSHIP_STATUSES:
        return status
    return "stated" if d.get("country") else "unknown"


def _reach_policy(policy) -> ReachPolicy:
    if policy is None:
        return DEFAULT_REACH
    return getattr(policy, "reach", policy)  # a Policy or a ReachPolicy


def owners(g: nx.MultiDiGraph, party: str, policy: ReachPolicy | None = None) -> list[Step]:
    """The owners whose law reaches ``party`` under ``policy``: its controlling owner and significant co-owners."""
    rp = _reach_policy(policy)
    out: list[Step] = []
    adj = g._adj.get(party)
    if not adj:
        return out
    for t, keyed in adj.items():
        if rp.owners and "owned_by" in keyed:
            out.append(Step(t, "owned_by", None))
        if rp.co_owners and "co_owned_by" in keyed:
            share = keyed["co_owned_by"].get("share")
            if share is None or share >= rp.co_owner_share:
                out.append(Step(t, "co_owned_by", share))
    return out


def _owned_memo(g: nx.MultiDiGraph, rp: ReachPolicy):
    """:func:`_owned` as a function whose answers are lists, for many walks over one graph.

    Ownership relations run from a supplier to a supplier (the ontology's
    domain and range), so the parties each owner reaches are found from the
    suppliers' own edges, once, instead of scanning every predecessor of every
    party walked (a large supplier has tens of thousands: the systems it
    provides). An owner of several gets them in the order of its predecessors,
    as :func:`_owned` gives them.
    """
    kids: dict[str, set[str]] = {}
    adj = g._adj
    for s in _suppliers(g):
        for t, keyed in adj[s].items():
            if "owned_by" in keyed or "co_owned_by" in keyed:
                kids.setdefault(t, set()).add(s)
    memo: dict[str, list[Step]] = {}

    def owned(party: str) -> list[Step]:
        got = memo.get(party)
        if got is None:
            found = kids.get(party)
            got = []
            if found:
                pred = g._pred[party]
                for child in (found if len(found) == 1 else [c for c in pred if c in found]):
                    got.extend(_owned_steps(child, pred[child], rp))
            memo[party] = got
        return got

    return owned


def _owned_steps(child: str, keyed: dict, rp: ReachPolicy) -> Iterable[Step]:
    """The steps by which an owner reaches ``child`` (``keyed``: the relations from ``child`` to the owner)."""
    if rp.owners and "owned_by" in keyed:
        yield Step(child, "owned_by", None)
    if rp.co_owners and "co_owned_by" in keyed:
        share = keyed["co_owned_by"].get("share")
        if share is None or share >= rp.co_owner_share:
            yield Step(child, "co_owned_by", share)


def _owned(g: nx.MultiDiGraph, party: str, rp: ReachPolicy) -> Iterable[Step]:
    """The suppliers that ``party`` reaches as an owner (the reverse of :func:`owners`)."""
    for child, keyed in g._pred.get(party, {}).items():
        yield from _owned_steps(child, keyed, rp)


@cache
def _roles(rp: ReachPolicy) -> tuple[tuple[str, str], ...]:
    return rp.roles()


def _countries(g: nx.MultiDiGraph, party: str, rp: ReachPolicy) -> list[tuple[str, str]]:
    d = g._node[party]
    out: list[tuple[str, str]] = []
    for role, key in _roles(rp):
        code = d.get(key)
        if code and all(code != c for c, _ in out):
            out.append((code, role))
    return out


def _walk(g: nx.MultiDiGraph, sources: Iterable[str], rp: ReachPolicy) -> dict[str, Step | None]:
    """Breadth-first over owners from ``sources``: party → the step that reached it (None for a source)."""
    tree: dict[str, Step | None] = {}
    queue: deque[str] = deque()
    for s in sources:
        if s not in tree:
            tree[s] = None
            queue.append(s)
    while queue:
        cur = queue.popleft()
        for step in owners(g, cur, rp):
            if step.party not in tree:
                tree[step.party] = Step(cur, step.relation, step.share)  # party field: where it came from
                queue.append(step.party)
    return tree


def _path(tree: dict[str, Step | None], party: str) -> tuple[Step, ...]:
    steps: list[Step] = []
    cur: str | None = party
    came = tree[party]
    while came is not None:
        steps.append(Step(cur, came.relation, came.share))
        cur = came.party
        came = tree[cur]
    steps.append(Step(cur))
    return tuple(reversed(steps))


def legal_reach(g: nx.MultiDiGraph, supplier: str, policy=None) -> list[ReachEntry]:
    """Every country in the supplier's legal reach, with the shortest path of parties to it and the role.

    ``policy``: a :class:`ReachPolicy` (or a policy with a ``reach``); the default reach when None.
    """
    rp = _reach_policy(policy)
    tree = _walk(g, [supplier], rp)
    out: list[ReachEntry] = []
    seen: set[str] = set()
    for party in tree:  # breadth-first order: the nearest party first
        for code, role in _countries(g, party, rp):
            if code not in seen:
                seen.add(code)
                out.append(ReachEntry(code, _path(tree, party), role))
    return out


def reach_countries(g: nx.MultiDiGraph, supplier: str, policy=None) -> list[str]:
    """The country codes of :func:`legal_reach`, nearest first."""
    return [r.country for r in legal_reach(g, supplier, policy)]


def _abbreviated(steps: tuple[Step, ...]) -> list[Step | None]:
    if len(steps) <= _PATH_SHOWN:
        return list(steps)
    return [*steps[:3], None, *steps[-2:]]


def path_text(g: nx.MultiDiGraph, steps: tuple[Step, ...]) -> str:
    """The parties of a path, each owner marked when it is a co-owner (long paths abbreviated).

    >>> path_text(nx.MultiDiGraph(), (Step("S-ODIDO"), Step("S-WARBURG", "co_owned_by", 50.0)))
    'S-ODIDO → S-WARBURG (co-owner 50%)'
    """
    parts = []
    for i, s in enumerate(_abbreviated(steps)):
        if s is None:
            parts.append(f"… ({len(steps) - 5} more)")
            continue
        text = s.party
        if s.relation == "gap":  # parties left out of a long path
            parts.append(f"… ({s.share:g} more)")
            continue
        if s.relation == "co_owned_by":
            text += f" (co-owner {s.share:g}%)" if s.share is not None else " (co-owner, share unknown)"
        parts.append(text)
    return " → ".join(parts)


def reach_text(g: nx.MultiDiGraph, entry: ReachEntry) -> str:
    """A reach entry as text: ``S-ODIDO → S-WARBURG (co-owner 50%): US``, ``S-X: headquarters US``."""
    return f"{path_text(g, entry.path)}: {_ROLE_WORDS[entry.role]}{entry.country}"


def reach_note(g: nx.MultiDiGraph, entry: ReachEntry) -> str:
    """A short note on how a country reaches the first party of the path, for a why-text.

    >>> reach_note(nx.MultiDiGraph(), ReachEntry("US", (Step("S-ODIDO"), Step("S-WARBURG", "co_owned_by", 50.0)),
    ...                                          "registration"))
    'owned by S-WARBURG, US, co-owner 50%'
    """
    last = entry.path[-1]
    where = f"{_ROLE_WORDS[entry.role]}{entry.country}"
    if len(entry.path) == 1:
        return where
    via = ""
    if any(s.relation == "co_owned_by" for s in entry.path[1:-1]):  # a controlling chain needs no path
        via = " via " + path_text(g, entry.path[1:-1])
    share = ""
    if last.relation == "co_owned_by":
        share = f", co-owner {last.share:g}%" if last.share is not None else ", co-owner"
    return f"owned by {last.party}{via}, {where}{share}"


def _unknown_reason(g: nx.MultiDiGraph, tree: dict[str, Step | None]) -> str | None:
    for party in tree:
        if ownership_status(g, party) == "unknown" or not g.nodes[party].get("country"):
            path = _path(tree, party)
            what = "ownership" if g.nodes[party].get("country") else "country"
            if len(path) == 1:
                return f"{what} of {party} unknown"
            return f"{what} of {party} unknown ({path_text(g, path)})"
    return None


def group_reach(g: nx.MultiDiGraph, members: Iterable[str], policy=None) -> tuple[Verdict, set[str]]:
    """The European verdict of a set of suppliers together, and the countries of their legal reach."""
    rp = _reach_policy(policy)
    tree = _walk(g, members, rp)
    found: set[str] = set()
    first_non_eu: ReachEntry | None = None
    for party in tree:
        for code, role in _countries(g, party, rp):
            if first_non_eu is None and not country(code).eea:
                first_non_eu = ReachEntry(code, _path(tree, party), role)
            found.add(code)
    if first_non_eu is not None:
        return Verdict(False, reach_text(g, first_non_eu)), found
    unknown = _unknown_reason(g, tree)
    if unknown:
        return Verdict(None, unknown), found
    return Verdict(True, "every party in the EU/EEA: " + ", ".join(sorted(found))), found


def reach_sets(g: nx.MultiDiGraph, policy=None) -> dict[str, frozenset[str]]:
    """The countries of every supplier's legal reach, all at once, linear in the ownership graph.

    Owners are taken before what they own (strongly connected parts, i.e.
    cross-holdings, together); a supplier that adds no country of its own
    shares its owner's set.
    """
    rp = _reach_policy(policy)
    suppliers = _suppliers(g)
    h = nx.DiGraph()
    h.add_nodes_from(suppliers)
    h.add_edges_from((s, o.party) for s in suppliers for o in owners(g, s, rp) if o.party in h)
    c = nx.condensation(h)
    by_scc: dict[int, frozenset[str]] = {}
    for scc in reversed(list(nx.topological_sort(c))):  # owners first
        own = {code for m in c.nodes[scc]["members"] for code, _ in _countries(g, m, rp)}
        above = [by_scc[t] for t in c.successors(scc)]
        if len(above) == 1 and own <= above[0]:
            by_scc[scc] = above[0]
        else:
            by_scc[scc] = frozenset(own.union(*above))
    mapping = c.graph["mapping"]
    return {s: by_scc[mapping[s]] for s in suppliers}


def group_verdicts(g: nx.MultiDiGraph, groups: dict[str, list[str]],
                   policy=None) -> dict[str, tuple[Verdict, frozenset[str]]]:
    """:func:`group_reach` of many groups at once (root → verdict, reach countries), linear in the ownership graph.

    A group is not European when one of its members is not (the first such member's
    reason), of unknown ownership when one of its members is, else European.
    """
    each = verdicts(g, policy)
    sets = reach_sets(g, policy)
    out: dict[str, tuple[Verdict, frozenset[str]]] = {}
    for root, members in groups.items():
        codes = frozenset().union(*(sets[m] for m in members))
        # the member whose reason shows the longest path says most (a subsidiary → its foreign owner)
        found = sorted((each[m] for m in members), key=lambda v: -v.reason.count("→"))
        verdict = (next((v for v in found if v.european is False), None)
                   or next((v for v in found if v.european is None), None)
                   or Verdict(True, "every party in the EU/EEA: " + ", ".join(sorted(codes))))
        out[root] = (verdict, codes)
    return out


def group_verdict(g: nx.MultiDiGraph, members: Iterable[str], policy=None) -> Verdict:
    """The European verdict of a set of suppliers together (a group: an ultimate parent and all it controls)."""
    return group_reach(g, members, policy)[0]


def european_verdict(g: nx.MultiDiGraph, supplier: str, policy=None) -> Verdict:
    """Is the supplier European? False (with the path to a non-EU/EEA country), None (ownership unknown), or True."""
    return group_verdict(g, [supplier], policy)


def reach_cut(g: nx.MultiDiGraph, codes: Iterable[str], policy=None, *,
              suppliers: Iterable[str] | None = None) -> dict[str, ReachEntry]:
    """Every supplier within the legal reach of the countries, with the path to a party in one of them.

    One walk backwards from the parties with such a country, so linear in the
    ownership graph. ``suppliers``: the supplier nodes, when the caller has
    them already (saves a pass over every node of the graph).
    """
    rp = _reach_policy(policy)
    wanted = {c.upper() for c in codes}
    if not wanted:
        return {}
    if suppliers is None:
        suppliers = _suppliers(g)
    return _reach_cut(g, wanted, rp, [(n, _countries(g, n, rp)) for n in suppliers], _owned_memo(g, rp))


def _reach_cut(g: nx.MultiDiGraph, wanted: set[str], rp: ReachPolicy, countries: list[tuple[str, list]],
               owned) -> dict[str, ReachEntry]:
    """:func:`reach_cut` with each supplier's countries (supplier, [(code, role)]) and ``owned`` given."""
    out: dict[str, ReachEntry] = {}
    # next hop towards the country: supplier → (owner step, the entry of that owner)
    queue: deque[str] = deque()
    for n, found in countries:
        for code, role in found:
            if code in wanted:
                out[n] = ReachEntry(code, (Step(n),), role)
                queue.append(n)
                break
    nxt: dict[str, Step] = {}
    dist: dict[str, int] = {}
    last: dict[str, Step] = {}  # the last step of the path: into the party with the country
    while queue:
        cur = queue.popleft()
        for child in owned(cur):
            if child.party not in out:
                out[child.party] = out[cur]  # the same country and role; the path is built below
                nxt[child.party] = Step(cur, child.relation, child.share)
                dist[child.party] = dist.get(cur, 0) + 1
                last[child.party] = last[cur] if cur in last else Step(cur, child.relation, child.share)
                queue.append(child.party)
    result: dict[str, ReachEntry] = {}
    for s, entry in out.items():
        steps = [Step(s)]
        cur = s
        while cur in nxt and len(steps) < 3:  # the first parties of the path, then its end
            hop = nxt[cur]
            steps.append(Step(hop.party, hop.relation, hop.share))
            cur = hop.party
        end = entry.path[-1].party
        if cur != end:
            left = dist[cur] - 1  # parties between cur and the end
            if left:
                steps.append(Step("…", "gap", float(left)))
            steps.append(last[s])
        result[s] = ReachEntry(entry.country, tuple(steps), entry.role)
    return result


def verdicts(g: nx.MultiDiGraph, policy=None) -> dict[str, Verdict]:
    """The European verdict of every supplier, in time linear in the ownership graph."""
    rp = _reach_policy(policy)
    suppliers = _suppliers(g)
    countries = [(s, _countries(g, s, rp)) for s in suppliers]
    owned = _owned_memo(g, rp)  # shared by every walk below
    # one backward walk per non-EU/EEA country found (few), so a why-text names every foreign
    # jurisdiction with its own path: "S-ODIDO → S-APAX (co-owner): GB; S-ODIDO → S-WARBURG (co-owner): US"
    non_eu: dict[str, list[ReachEntry]] = {}
    for code in sorted({c for _, found in countries for c, _ in found if not country(c).eea}):
        for s, e in _reach_cut(g, {code}, rp, countries, owned).items():
            non_eu.setdefault(s, []).append(e)
    out: dict[str, Verdict] = {
        s: Verdict(False, "; ".join(reach_text(g, e) for e in sorted(es, key=lambda e: len(e.path))))
        for s, es in non_eu.items()}
    # unknown: a walk backwards from the parties whose ownership or country is unknown
    queue: deque[str] = deque()
    origin: dict[str, str] = {}
    for s in suppliers:
        if s not in out and (ownership_status(g, s) == "unknown" or not g.nodes[s].get("country")):
            origin[s] = s
            queue.append(s)
    while queue:
        cur = queue.popleft()
        for child in owned(cur):
            if child.party not in out and child.party not in origin:
                origin[child.party] = origin[cur]
                queue.append(child.party)
    cause: dict[str, str] = {}
    for s, o in origin.items():
        what = "ownership" if g.nodes[o].get("country") else "country"
        cause[s] = f"{what} of {o} unknown" + ("" if s == o else f" ({s} → … → {o})")
    for s in suppliers:
        if s in out:
            continue
        if s in cause:
            out[s] = Verdict(None, cause[s])
        else:
            codes = sorted({c for c, _ in _countries(g, s, rp)})
            out[s] = Verdict(True, "every party in the EU/EEA: " + ", ".join(codes))
    return out


def is_european(g: nx.MultiDiGraph, supplier: str) -> bool | None:
    """The European verdict of the supplier under the default reach (see :func:`european_verdict`)."""
    return european_verdict(g, supplier).european
