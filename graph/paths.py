"""Dependency chains for the graph browser: a layered view around one node, and every shortest chain between two.

A *chain* follows dependencies: a process uses a system, a system depends on
another, is hosted at a location and provided or operated by a supplier, a
supplier is owned by its parent, and the ultimate owner is registered in a
country. Organisations and countries connect nearly everything (hubs); they
become *badges* on the nodes that point at them, except the country of an
ultimate owner, which ends the chain. Alternatives (edges in a k-of-N group,
see :func:`sovmap.graph.model.edge_meaning`) meet in a *junction* node, as
ArchiMate draws a junction.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, kind in [("P", "process"), ("A", "system"), ("B", "system"), ("S", "supplier"),
...                 ("O", "supplier"), ("country:US", "country")]:
...     g.add_node(n, kind=kind, name=n)
>>> _ = g.add_edge("P", "A", key="uses", required=False, groups=(("alt", 1),))
>>> _ = g.add_edge("P", "B", key="uses", required=False, groups=(("alt", 1),))
>>> _ = g.add_edge("A", "S", key="provided_by")
>>> _ = g.add_edge("S", "O", key="owned_by")
>>> _ = g.add_edge("O", "country:US", key="registered_in")
>>> v = chain_view(g, "P")
>>> [(n.id, n.layer) for n in v.nodes]
[('P', 0), ('junction:P:alt', 1), ('A', 2), ('B', 2), ('S', 3), ('O', 4), ('country:US', 5)]
>>> v.node("junction:P:alt").label
'1 / 2'
>>> [c.nodes for c in shortest_chains(g, "P", "S")]
[['P', 'A', 'S']]
>>> shortest_chains(g, "P", "S")[0].steps[0].groups
(('alt', 1, 2),)
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx

from .errors import UnknownNodeError
from .model import edge_meaning
from .ownership import parent_of

__all__ = ["CHAIN_RELATIONS", "HUB_KINDS", "MAX_VIEW_NODES", "KIND_COLUMN", "ChainNode", "ChainEdge", "ChainView",
           "Step", "Chain", "chain_view", "shortest_chains", "chain_highlight"]

# Relations a chain follows, in dependency direction (what the source needs or who controls it).
CHAIN_RELATIONS = frozenset({"uses", "stored_in", "depends_on", "hosted_at", "operated_by", "provided_by", "owned_by"})
HUB_KINDS = frozenset({"organisation", "country"})
MAX_VIEW_NODES = 150  # beyond this a view is aggregated
# The least column of each kind in a "what does X depend on" view, counted from the focus's kind; owners and
# countries go right of what points at them.
KIND_COLUMN = {"process": 0, "dataset": 1, "system": 1, "location": 2, "supplier": 3}


@dataclass
class ChainNode:
    """One drawn node: a graph node, a junction of alternatives, or an aggregate of many nodes."""

    id: str
    kind: str  # the graph node's kind, "junction" or "aggregate"
    layer: int
    label: str = ""  # junctions: "k / N"; aggregates: the count; graph nodes: "" (the dashboard names them)
    badges: tuple[str, ...] = ()  # hub node ids (organisations, countries) this node points at
    count: int = 1  # aggregates: how many nodes they stand for
    members: tuple[str, ...] = ()  # aggregates: the node ids; junctions: the alternatives
    of: str = ""  # aggregates: the kind of what they hold ("mixed" for several)


@dataclass(frozen=True)
class ChainEdge:
    """One drawn edge; ``groups`` holds (group, min_required, members) when it leads into or out of a junction."""

    source: str
    target: str
    relation: str
    required: bool = True
    groups: tuple[tuple[str, int, int], ...] = ()


class _Edge(NamedTuple):
    """A :class:`ChainEdge` while a view is built: a hub's view has hundreds of thousands of edges before it is
    aggregated, and a frozen dataclass costs several times a tuple to make and to hash."""

    source: str
    target: str
    relation: str
    required: bool = True
    groups: tuple[tuple[str, int, int], ...] = ()


@dataclass
class ChainView:
    """What a layered view draws, left (the focus) to right."""

    focus: str
    direction: str
    nodes: list[ChainNode]
    edges: list[ChainEdge]
    aggregated: bool = False
    truncated_at_depth: bool = False  # nodes were left out because of ``depth``

    def node(self, node_id: str) -> ChainNode:
        """The drawn node with this id."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise UnknownNodeError(node_id, "node in this view", self.ids)

    @property
    def ids(self) -> list[str]:
        return [n.id for n in self.nodes]


@dataclass(frozen=True)
class Step:
    """One step of a chain; ``groups`` names each k-of-N group it belongs to as (group, min_required, members)."""

    source: str
    target: str
    relation: str
    required: bool
    groups: tuple[tuple[str, int, int], ...] = ()

    @property
    def redundant(self) -> bool:
        """True when the step is one alternative among others (not required on its own)."""
        return not self.required and any(n > k for _, k, n in self.groups)


@dataclass(frozen=True)
class Chain:
    """One shortest chain: its nodes in order and its steps."""

    nodes: list[str]
    steps: list[Step] = field(default_factory=list)

    @property
    def redundant_steps(self) -> list[int]:
        """Indexes of the steps that are one alternative of a k-of-N group."""
        return [i for i, s in enumerate(self.steps) if s.redundant]


def _require(g: nx.MultiDiGraph, *nodes: str) -> None:
    for n in nodes:
        if n not in g:
            raise UnknownNodeError(n, "node", list(g.nodes) if len(g) < 5000 else [])


def _group_sizes(g: nx.MultiDiGraph, node: str) -> dict[str, int]:
    """Number of distinct members of each k-of-N group the node has on its outgoing edges."""
    members: dict[str, set[str]] = defaultdict(set)
    for _, v, rel, d in g.out_edges(node, keys=True, data=True):
        if rel in CHAIN_RELATIONS:
            for name, _k in edge_meaning(d)[1]:
                members[name].add(v)
    return {name: len(m) for name, m in members.items()}


def _step(g: nx.MultiDiGraph, u: str, v: str, rel: str, sizes: dict[str, int]) -> Step:
    required, groups = edge_meaning(g.edges[u, v, rel])
    return Step(u, v, rel, required, tuple((name, k, sizes.get(name, 0)) for name, k in groups))


def _badges(g: nx.MultiDiGraph, node: str, keep_country: bool) -> tuple[str, ...]:
    """The hubs the node points at (organisations, countries), minus the country drawn as a node."""
    out = []
    for _, v, rel in g.out_edges(node, keys=True):
        if g.nodes[v].get("kind") in HUB_KINDS and not (keep_country and rel == "registered_in"):
            if v not in out:
                out.append(v)
    return tuple(sorted(out))


def _down(g: nx.MultiDiGraph, node: str) -> Iterable[tuple[str, str]]:
    """(target, relation) of the node's dependency edges; an ultimate owner's country ends the chain."""
    for v, keyed in g._adj[node].items():  # the adjacency directly: an edge view per node was most of a hub's time
        for rel in keyed:
            if rel in CHAIN_RELATIONS:
                yield v, rel
    d = g.nodes[node]
    if d.get("kind") == "supplier" and parent_of(g, node) is None:
        for _, v, rel in g.out_edges(node, keys=True):
            if rel == "registered_in":
                yield v, rel


def _up(g: nx.MultiDiGraph, node: str) -> Iterable[tuple[str, str]]:
    """(source, relation) of the edges that make other nodes depend on this one (hubs: everything pointing in)."""
    hub = g._node[node].get("kind") in HUB_KINDS
    for u, keyed in g._pred[node].items():  # in the order in_edges gives, without a view per node
        for rel in keyed:
            if rel in CHAIN_RELATIONS or hub:
                yield u, rel


def chain_view(g: nx.MultiDiGraph, focus: str, direction: str = "down", depth: int | None = None,
               expanded: Iterable[str] = (), max_nodes: int = MAX_VIEW_NODES,
               unfolded: Iterable[str] = ()) -> ChainView:
    """The layered view around ``focus``: what it depends on (``"down"``) or what depends on it (``"up"``).

    The default depth follows every chain to its end: through the ownership chain
    to the ultimate owner and the country it is registered in. ``depth`` stops
    after that many steps. Nodes in ``expanded`` add all their neighbours
    (either direction, hubs included). Alternatives of a k-of-N group meet in a
    junction node ``junction:<source>:<group>``. Organisations and countries the
    drawn nodes point at are badges, not nodes. A view of more than
    ``max_nodes`` nodes is aggregated (see :func:`_aggregate`), except the
    nodes in ``unfolded`` (the members of an aggregate the user opened).

    Layers: for ``"down"``, process → data set/system → location → supplier →
    owner → country, a node right of everything it is reached from; for
    ``"up"``, the number of steps from the focus.

    Raises
    ------
    UnknownNodeError
        When ``focus`` is not in the graph.
    ValueError
        When ``direction`` is neither "down" nor "up".

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("P", kind="process"); g.add_node("S", kind="system"); g.add_node("ORG", kind="organisation")
    >>> _ = g.add_edge("P", "S", key="uses"); _ = g.add_edge("P", "ORG", key="belongs_to")
    >>> v = chain_view(g, "S", "up")
    >>> [(n.id, n.layer, n.badges) for n in v.nodes]
    [('S', 0, ()), ('P', 1, ('ORG',))]
    >>> try:
    ...     chain_view(g, "X")
    ... except UnknownNodeError as e:
    ...     print(e)
    "X" is not a known node id.
    """
    _require(g, focus)
    if direction not in ("down", "up"):
        raise ValueError(f"direction must be 'down' or 'up', not {direction!r}")
    with _collector_paused():
        return _chain_view(g, focus, direction, depth, expanded, max_nodes, unfolded)


@contextmanager
def _collector_paused():
    """Python's cycle collector held off while a view is built (nothing built here forms a cycle).

    A hub's "up" view allocates about a million small objects; each of the full collections that triggers walks
    the whole graph, so on the national graph (595k nodes) they took longer than the view itself.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _chain_view(g: nx.MultiDiGraph, focus: str, direction: str, depth: int | None, expanded: Iterable[str],
                max_nodes: int, unfolded: Iterable[str]) -> ChainView:
    walk = _down if direction == "down" else _up
    dist = {focus: 0}
    order = [focus]
    links: list[tuple[str, str, str]] = []  # (source, target, relation) in dependency direction
    queue = deque([focus])
    cut = False
    while queue:
        cur = queue.popleft()
        if cur != focus and g._node[cur].get("kind") in HUB_KINDS:
            continue  # a country ends a chain; it is not walked through
        for nxt, rel in walk(g, cur):
            if depth is not None and dist[cur] >= depth:
                cut = True
                break
            links.append((cur, nxt, rel) if direction == "down" else (nxt, cur, rel))
            if nxt not in dist:
                dist[nxt] = dist[cur] + 1
                order.append(nxt)
                queue.append(nxt)
    for e in expanded:  # every neighbour, either direction, hubs included (the user asked for them)
        if e not in dist:
            continue
        around = [(e, v, rel, v) for _, v, rel in g.out_edges(e, keys=True)]
        around += [(u, e, rel, u) for u, _, rel in g.in_edges(e, keys=True)]
        for u, v, rel, other in around:
            links.append((u, v, rel))
            if other not in dist:
                dist[other] = dist[e] + 1
                order.append(other)
    drawn = set(order)
    links = list(dict.fromkeys(links))
    nodes, edges = _with_junctions(g, order, drawn, links, focus, direction)
    view = ChainView(focus, direction, nodes, edges, truncated_at_depth=cut)
    _layer(view, g, direction)
    if len(view.nodes) > max_nodes:
        _aggregate(view, g, max_nodes, frozenset(unfolded))
    view.edges = [ChainEdge(*e) for e in view.edges]  # the drawn ones only (see _Edge)
    _add_badges(view, g)
    return view


def _add_badges(view: ChainView, g: nx.MultiDiGraph) -> None:
    """The hubs each drawn graph node points at; an ultimate owner's country drawn as a node is not a badge."""
    drawn = set(view.ids)
    for n in view.nodes:
        if n.kind in ("junction", "aggregate") or n.id not in g:
            continue
        end = n.kind == "supplier" and parent_of(g, n.id) is None
        keep = end and any(v in drawn for _, v, r in g.out_edges(n.id, keys=True) if r == "registered_in")
        n.badges = _badges(g, n.id, keep)


def _with_junctions(g: nx.MultiDiGraph, order: list[str], drawn: set[str], links: list[tuple[str, str, str]],
                    focus: str, direction: str) -> tuple[list[ChainNode], list[_Edge]]:
    """Graph nodes (badges come later: :func:`_add_badges`), and the edges, alternatives routed through junctions."""
    attrs = g._node
    nodes: dict[str, ChainNode] = {n: ChainNode(n, attrs[n].get("kind", "unknown"), 0) for n in order}
    edges: list[_Edge] = []
    junction_edges: dict[str, list[_Edge]] = defaultdict(list)
    adj = g._adj
    group_sizes: dict[str, dict[str, int]] = {}  # once per node: a node with N alternatives has N such links
    for u, v, rel in links:
        if u not in drawn or v not in drawn:
            continue
        d = adj[u][v][rel]
        if not d.get("groups"):  # most edges: required, in no group (edge_meaning's first case, inline)
            edges.append(_Edge(u, v, rel))
            continue
        required, groups = edge_meaning(d)
        if required:
            edges.append(_Edge(u, v, rel))
        if groups:
            sizes = group_sizes.get(u)
            if sizes is None:
                sizes = group_sizes[u] = _group_sizes(g, u)
            for name, k in groups:
                jid = f"junction:{u}:{name}"
                info = ((name, k, sizes.get(name, 0)),)
                if jid not in nodes:
                    nodes[jid] = ChainNode(jid, "junction", 0, label=f"{k} / {sizes.get(name, 0)}")
                    junction_edges[jid].append(_Edge(u, jid, rel, False, info))
                junction_edges[jid].append(_Edge(jid, v, rel, False, info))
    for jid, es in junction_edges.items():
        nodes[jid].members = tuple(e.target for e in es[1:])
        edges.extend(es)
    return list(nodes.values()), list(dict.fromkeys(edges))


def _layer(view: ChainView, g: nx.MultiDiGraph, direction: str) -> None:
    """Set each node's layer (see :func:`chain_view`) and sort the nodes by layer, keeping their order within one."""
    if direction == "up":
        out: dict[str, list[str]] = defaultdict(list)
        for e in view.edges:
            out[e.target].append(e.source)
        dist = {view.focus: 0}
        queue = deque([view.focus])
        while queue:
            cur = queue.popleft()
            for nxt in out[cur]:
                if nxt not in dist:
                    dist[nxt] = dist[cur] + 1
                    queue.append(nxt)
    else:
        # Longest path from the focus over the drawn edges, never left of the kind's column counted from the
        # focus's own (a location is at least one column right of a system); nodes on a cycle: BFS order.
        base = _column(g, view.focus) or 0

        def column(node: str) -> int:
            c = _column(g, node)
            return 0 if c is None else max(0, c - base)

        succ: dict[str, list[str]] = defaultdict(list)
        indeg: Counter[str] = Counter()
        for e in view.edges:
            succ[e.source].append(e.target)
            indeg[e.target] += 1
        dist = {}
        ready = deque(n.id for n in view.nodes if indeg[n.id] == 0)
        while ready:
            cur = ready.popleft()
            dist.setdefault(cur, column(cur))
            for nxt in succ[cur]:
                dist[nxt] = max(dist.get(nxt, 0), dist[cur] + 1, column(nxt))
                indeg[nxt] -= 1
                if indeg[nxt] == 0:
                    ready.append(nxt)
        for n in view.nodes:  # nodes on a cycle
            dist.setdefault(n.id, column(n.id))
        dist[view.focus] = 0
    far = max(dist.values(), default=0) + 1
    for n in view.nodes:
        n.layer = dist.get(n.id, far)
    view.nodes.sort(key=lambda n: n.layer)


def _column(g: nx.MultiDiGraph, node: str) -> int | None:
    d = g._node.get(node)
    return None if d is None else KIND_COLUMN.get(d.get("kind"))


def _aggregate(view: ChainView, g: nx.MultiDiGraph, max_nodes: int, unfolded: frozenset[str] = frozenset()) -> None:
    """Fold the largest buckets of nodes into one node each, until the view has at most ``max_nodes`` nodes.

    First pass: same layer and kind (suppliers: same supplier group); then same layer; then same kind.
    The focus is never folded, nor the nodes in ``unfolded``. An aggregate
    ``aggregate:...`` carries ``of`` (the kind it holds, or "mixed"), ``count`` and ``members`` (every
    folded id); edges into and out of its members are redirected to it (once each).
    """
    from .ownership import root_of

    roots = root_of(g)
    keys = [lambda n: f"aggregate:{n.layer}:{n.of or n.kind}"
                      + (f":{roots.get(n.id, n.id)}" if n.kind == "supplier" else ""),
            lambda n: f"aggregate:{n.layer}:mixed",
            lambda n: f"aggregate:all:{n.of or n.kind}"]
    kept = {view.focus} | unfolded
    for key_of in keys:
        if len(view.nodes) <= max_nodes:
            break
        _fold(view, key_of, max_nodes, kept)
    view.aggregated = any(n.kind == "aggregate" for n in view.nodes)


def _fold(view: ChainView, key_of, max_nodes: int, kept: set[str]) -> None:
    buckets: dict[str, list[ChainNode]] = defaultdict(list)
    for n in view.nodes:
        if n.id not in kept:
            buckets[key_of(n)].append(n)
    merged: dict[str, str] = {}
    count = len(view.nodes)
    for key, members in sorted(buckets.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if count <= max_nodes:
            break
        if len(members) < 2:
            continue
        for m in members:
            merged[m.id] = key
        count -= len(members) - 1
    if not merged:
        return
    kept: list[ChainNode] = []
    aggregates: dict[str, ChainNode] = {}
    members: dict[str, list[str]] = defaultdict(list)  # gathered in lists: tuples grown one by one are quadratic
    for n in view.nodes:
        key = merged.get(n.id)
        if key is None:
            kept.append(n)
            continue
        agg = aggregates.get(key)
        if agg is None:
            agg = aggregates[key] = ChainNode(key, "aggregate", n.layer, count=0, of=n.of or n.kind)
            kept.append(agg)
        if (n.of or n.kind) != agg.of:
            agg.of = "mixed"
        agg.layer = min(agg.layer, n.layer)
        members[key].extend(n.members if n.kind == "aggregate" else (n.id,))
    for key, agg in aggregates.items():
        agg.members = tuple(members[key])
        agg.count = len(agg.members)
        agg.label = str(agg.count)
    view.nodes = sorted(kept, key=lambda n: n.layer)
    edges: dict[tuple, _Edge] = {}
    for e in view.edges:
        s, t = merged.get(e.source, e.source), merged.get(e.target, e.target)
        if s != t:
            key = (s, t, e.relation, e.required, e.groups)
            if key not in edges:
                edges[key] = e if (s, t) == (e.source, e.target) else _Edge(*key)
    view.edges = list(edges.values())


def shortest_chains(g: nx.MultiDiGraph, a: str, b: str, limit: int = 50) -> list[Chain]:
    """Every shortest chain from ``a`` to ``b`` along dependency direction, each step with its redundancy.

    A step's ``groups`` names the k-of-N groups it belongs to as (group,
    min_required, members): such a step is one alternative among others. The
    chains follow the relations in :data:`CHAIN_RELATIONS`; when ``b`` is a
    country, their last step may also be a location in it or a supplier
    registered in it (a subsidiary too, not only an ultimate owner). At most ``limit``
    chains, in a stable order. An empty list when ``b`` cannot be reached.

    Raises
    ------
    UnknownNodeError
        When ``a`` or ``b`` is not in the graph.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("P", "A"), ("P", "B"), ("A", "S"), ("B", "S"), ("S", "O")]:
    ...     _ = g.add_edge(u, v, key="owned_by" if u == "S" else "uses")
    >>> nx.set_node_attributes(g, "system", "kind")
    >>> [c.nodes for c in shortest_chains(g, "P", "O")]
    [['P', 'A', 'S', 'O'], ['P', 'B', 'S', 'O']]
    >>> shortest_chains(g, "O", "P")
    []
    """
    _require(g, a, b)
    if a == b:
        return [Chain([a], [])]
    into_country = g.nodes[b].get("kind") == "country"
    dist = {a: 0}
    preds: dict[str, list[tuple[str, str]]] = defaultdict(list)
    queue = deque([a])
    while queue:
        cur = queue.popleft()
        if b in dist and dist[cur] >= dist[b]:
            break
        steps = list(_down(g, cur))
        if into_country:
            steps += [(b, rel) for _, v, rel in g.out_edges(cur, keys=True)
                      if v == b and rel in ("located_in", "registered_in") and (b, rel) not in steps]
        for nxt, rel in steps:
            if nxt not in dist:
                dist[nxt] = dist[cur] + 1
                queue.append(nxt)
            if dist[nxt] == dist[cur] + 1 and (cur, rel) not in preds[nxt]:
                preds[nxt].append((cur, rel))
    if b not in dist:
        return []
    sizes: dict[str, dict[str, int]] = {}
    chains: list[Chain] = []

    def back(node: str, tail: list[Step]) -> None:
        if len(chains) >= limit:
            return
        if node == a:
            steps = list(reversed(tail))
            chains.append(Chain([a, *(s.target for s in steps)], steps))
            return
        for p, rel in sorted(preds[node]):
            if p not in sizes:
                sizes[p] = _group_sizes(g, p)
            back(p, [*tail, _step(g, p, node, rel, sizes[p])])

    back(b, [])
    return sorted(chains, key=lambda c: c.nodes)


def chain_highlight(view: ChainView, chains: Iterable[Chain]) -> tuple[set[str], set[tuple[str, str]]]:
    """The drawn node ids and (source, target) edges the chains run along; an alternative step through its junction.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["P", "A", "B"], kind="system")
    >>> _ = g.add_edge("P", "A", key="uses", required=False, groups=(("alt", 1),))
    >>> _ = g.add_edge("P", "B", key="uses", required=False, groups=(("alt", 1),))
    >>> nodes, edges = chain_highlight(chain_view(g, "P"), shortest_chains(g, "P", "A"))
    >>> sorted(nodes), sorted(edges)
    (['A', 'P', 'junction:P:alt'], [('P', 'junction:P:alt'), ('junction:P:alt', 'A')])
    """
    drawn = {(e.source, e.target) for e in view.edges}
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    for chain in chains:
        nodes.update(chain.nodes)
        for s in chain.steps:
            if s.required and (s.source, s.target) in drawn:
                edges.add((s.source, s.target))
                continue
            for name, _k, _n in s.groups:
                j = f"junction:{s.source}:{name}"
                if (s.source, j) in drawn and (j, s.target) in drawn:
                    nodes.add(j)
                    edges.update({(s.source, j), (j, s.target)})
    return nodes & set(view.ids), edges
