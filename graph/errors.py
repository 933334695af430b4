"""The exceptions that graph functions raise for bad input (one small tree)."""

from __future__ import annotations

import difflib

__all__ = ["SovmapError", "UnknownNodeError"]


class SovmapError(Exception):
    """Base class: a request that cannot be answered as asked; the message says why and how to fix it."""


class UnknownNodeError(SovmapError):
    """An id that is not in the graph, or is not of the expected kind."""

    def __init__(self, node_id: str, kind: str, candidates: list[str]):
        hit = difflib.get_close_matches(node_id, candidates, n=1, cutoff=0.6)
        hint = f' Did you mean "{hit[0]}"?' if hit else ""
        super().__init__(f'"{node_id}" is not a known {kind} id.{hint}')
        self.node_id = node_id
        self.kind = kind
