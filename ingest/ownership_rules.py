"""Validation rules of the ownership columns: co-owners with their shares, ownership facts, circles of owners.

Part of :mod:`sovmap.ingest.validate`; each rule adds problems to a list (errors as data).
"""

from __future__ import annotations

import re

from sovmap.ontology.vocab import Column

from .coowners import parse_co_owners
from .problems import Problem
from .records import EdgeRecord, NodeRecord

__all__ = ["co_owner_cell", "check_co_owners", "check_parent_cycles"]

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def co_owner_cell(node: NodeRecord, col: Column, value: str, pending_refs, problems: list[Problem]) -> None:
    """Split a co_owner_ids cell into references (checked like any id) and their shares."""
    items, errors = parse_co_owners(value)
    for message in errors:
        problems.append(Problem("bad-share", node.file, node.line, col.key, value, message,
                                'Write each co-owner as an id with an optional share, e.g. "S-APAX 50% | S-WARBURG 50%".'))
    shares: dict[str, float | None] = {}
    for target, share in items:
        if target in shares:
            problems.append(Problem("duplicate-co-owner", node.file, node.line, col.key, target,
                                    f'"{target}" is listed twice as a co-owner; it is counted once.',
                                    "Remove one of them."))
            continue
        shares[target] = share
        pending_refs.append((node, col, target))
    total = sum(x for x in shares.values() if x is not None)
    if total > 100:
        problems.append(Problem("shares-over-100", node.file, node.line, col.key, value,
                                f"The co-owners' shares add up to {total:g}%, more than 100%.",
                                "Check the shares against the source of the ownership facts."))
    node.attrs["__co_shares"] = shares


def check_co_owners(nodes: dict[str, NodeRecord], edges: list[EdgeRecord], problems: list[Problem]) -> list[EdgeRecord]:
    """Drop (with a warning) a co-owner that is also the controlling owner; check ownership facts."""
    parent = {e.source: e.target for e in edges if e.relation == "owned_by"}
    dropped = [i for i, e in enumerate(edges) if e.relation == "co_owned_by" and parent.get(e.source) == e.target]
    for i in dropped:
        e = edges[i]
        problems.append(Problem("co-owner-is-parent", e.file, e.line, "co_owner_ids", e.target,
                                f'"{e.target}" is already the controlling owner (parent_id); as a co-owner it adds nothing.',
                                "Remove it from co_owner_ids."))
    gone = set(dropped)
    keep = [e for i, e in enumerate(edges) if i not in gone] if gone else edges  # most inventories drop none
    for n in nodes.values():
        if n.kind != "supplier":
            continue
        checked = n.attrs.get("ownership_checked")
        if checked and not _DATE.match(str(checked)):
            problems.append(Problem("bad-date", n.file, n.line, "ownership_checked", str(checked),
                                    f'"{checked}" is not a date.', "Write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2026-03-01."))
        if n.attrs.get("ownership") == "verified" and not n.attrs.get("ownership_source"):
            problems.append(Problem("verified-without-source", n.file, n.line, "ownership", "verified",
                                    "The ownership is marked verified but no ownership_source says against what.",
                                    "Fill in ownership_source (a URL or register extract) and ownership_checked."))
    return keep


def check_parent_cycles(nodes: dict[str, NodeRecord], edges: list[EdgeRecord], problems: list[Problem]) -> None:
    """Report each circle of parents (owned_by, part_of) once, in time linear in the number of nodes.

    Every node is walked once: a walk stops at a node finished by an earlier
    walk, or at a node of its own path, which closes a circle.
    """
    parent = {e.source: e.target for e in edges if e.relation in ("owned_by", "part_of")}
    done: set[str] = set()
    for start in parent:
        if start in done:
            continue
        on_path: dict[str, int] = {}  # node → its position on this walk
        path: list[str] = []
        cur = start
        while cur in parent and cur not in done and cur not in on_path:
            on_path[cur] = len(path)
            path.append(cur)
            cur = parent[cur]
        if cur in on_path:
            _report_cycle(path[on_path[cur]:], nodes, parent, problems)
        done.update(path)


def _report_cycle(cycle: list[str], nodes: dict[str, NodeRecord], parent: dict[str, str],
                  problems: list[Problem]) -> None:
    """One parent-cycle problem, at the member that comes first in the files; a long circle abbreviated."""
    at = min(range(len(cycle)), key=lambda i: (nodes[cycle[i]].file, nodes[cycle[i]].line))
    first = cycle[at]
    ring = cycle[at:] + cycle[:at] + [first]
    if len(ring) > 8:
        ring = ring[:3] + [f"… {len(ring) - 6:,} more …"] + ring[-3:]
    n = nodes[first]
    problems.append(Problem("parent-cycle", n.file, n.line, "parent_id", parent[first],
                            f"The parents run in a circle: {' → '.join(ring)}"
                            + (f" ({len(cycle):,} members)." if len(cycle) > 7 else "."),
                            "One of them must have no parent, or another parent."))
