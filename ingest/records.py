"""The records a validated inventory is made of: nodes by id and typed edges."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["NodeRecord", "EdgeRecord", "Inventory"]


@dataclass(slots=True)
class NodeRecord:
    id: str
    kind: str
    name: str
    attrs: dict[str, object] = field(default_factory=dict)  # enum ids, text, country codes, extra columns
    file: str = ""
    line: int = 0


@dataclass(slots=True)
class EdgeRecord:
    source: str
    relation: str
    target: str
    group: str | None = None
    min_required: int | None = None
    file: str = ""
    line: int = 0
    share: float | None = None  # a co-owner's share in percent (co_owned_by only)


@dataclass
class Inventory:
    """A validated inventory: nodes by id and typed edges (countries as ``country:CC``)."""

    nodes: dict[str, NodeRecord]
    edges: list[EdgeRecord]
    files: list[str]
