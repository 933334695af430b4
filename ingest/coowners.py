"""The co_owner_ids cell of a supplier: significant co-owners, each with an optional share in percent.

Ids are separated by ``|`` or ``;``; each may be followed by its share, e.g.
``S-APAX 50% | S-WARBURG 50%``. A share is a number above 0 and at most 100
followed by ``%`` (a decimal comma is accepted; brackets are allowed).

Examples
--------
>>> parse_co_owners("S-APAX 50% | S-WARBURG (50 %); S-FUND")
([('S-APAX', 50.0), ('S-WARBURG', 50.0), ('S-FUND', None)], [])
>>> parse_co_owners("S-APAX 150%")
([], ['"150%" is not a share between 0 and 100 percent.'])
>>> co_owners_text([("S-APAX", 50.0), ("S-FUND", None), ("S-HG", 12.5)])
'S-APAX 50% | S-FUND | S-HG 12.5%'
"""

from __future__ import annotations

import re

__all__ = ["parse_co_owners", "co_owners_text", "share_text"]

_SPLIT = re.compile(r"[|;]")
# an id, then (after a space or an opening bracket) a share ending in %: "S-APAX 50%", "S-APAX (12,5 %)"
_SHARE = re.compile(r"^(?P<id>.*?\S)(?:\s+\(?|\()\s*(?P<num>[^\s()%]*)\s*%\s*\)?$")
_NUMBER = re.compile(r"^[0-9]+(?:[.,][0-9]+)?$")


def _item(text: str) -> tuple[str, float | None, str | None]:
    """One entry: (id, share, error message or None)."""
    m = _SHARE.match(text)
    if m is None:
        return text.strip(), None, None
    ident, number = m.group("id").strip(), m.group("num")
    if _NUMBER.match(number):
        share = float(number.replace(",", "."))
        if 0 < share <= 100:
            return ident, share, None
    return ident, None, f'"{text[m.end("id"):].strip()}" is not a share between 0 and 100 percent.'


def parse_co_owners(text: str) -> tuple[list[tuple[str, float | None]], list[str]]:
    """Split a co_owner_ids cell into (id, share or None) pairs, with a message per bad entry."""
    items: list[tuple[str, float | None]] = []
    errors: list[str] = []
    for raw in _SPLIT.split(text or ""):
        raw = raw.strip()
        if not raw:
            continue
        ident, share, error = _item(raw)
        if error:
            errors.append(error)
        else:
            items.append((ident, share))
    return items, errors


def share_text(share: float | None) -> str:
    """A share as written in a cell: ``50%``, ``12.5%``, or empty when unknown."""
    if share is None:
        return ""
    return f"{share:g}%"


def co_owners_text(items) -> str:
    """The cell text for (id, share) pairs, the inverse of :func:`parse_co_owners`."""
    return " | ".join(f"{i} {share_text(s)}".strip() for i, s in items)
