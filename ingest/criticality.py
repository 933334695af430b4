"""A process's criticality derived from what models and lists carry instead: BIV availability and a business-critical flag.

Real models rarely give a process a criticality of its own, but often carry
one of these (on the process itself, or on the row of a flat list):

====================================================  =============================================
property or column (any spelling in                    criticality derived
``flatlist_synonyms.yaml``)
====================================================  =============================================
``BIV`` / ``BIV-classificatie`` with a B level        B 3 → high, B 2 → medium, B 0/1 → low
(``BIV 3-2-2``, ``B3 I2 V2``, ``H-M-L`` ...)          (:data:`sovmap.ingest.biv.CRITICALITY_BY_B`)
``Beschikbaarheid`` / ``Availability`` (0-3, laag,    the same, from that level
midden, hoog)
``bedrijfskritisch`` / ``business critical``          ja/yes → high, nee/no → low; a criticality word
                                                      (vitaal, hoog ...) is taken as given
====================================================  =============================================

Never vital: a BIV level or a yes/no cannot tell vital from high, so that
needs saying. A criticality given as such (``kritikaliteit``,
``criticality``) always wins; otherwise the highest derived one counts. A
derived value is marked: the process gets a ``criticality_source`` column
saying what it was derived from (:data:`sovmap.graph.coverage.DERIVED_MARK`),
and the analyses' "Rests on" line counts those processes.

Not inherited from data or systems: the BIO rates information and systems by
the processes they serve (the process owner sets the BIV of the data), so a
system's high availability may serve one vital process among many ordinary
ones. A process whose only rating is on the data or systems it uses keeps no
criticality, and the analyses say so and how to give it one.

Examples
--------
>>> derive("BIV", "classification", "BIV 3-2-2")
Derived(criticality='high', source='derived from BIV "BIV 3-2-2": availability 3 → high')
>>> derive("Bedrijfskritisch", "business_critical", "nee").criticality
'low'
>>> derive("BIV", "classification", "BBN2") is None  # no availability in a BBN level
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sovmap.ontology.vocab import vocabulary

from .biv import CRITICALITY_BY_B, level, parse_biv

__all__ = ["Derived", "derive", "strongest", "FIELDS_DERIVING", "DERIVED_MARK", "UNREADABLE"]

#: The process column that says where a derived criticality came from (as in sovmap.graph.coverage).
DERIVED_MARK = "criticality_source"
#: Fields whose values may give a process a criticality.
FIELDS_DERIVING = ("classification", "availability", "business_critical")
_FLAG = {"yes": "high", "no": "low"}
#: What :func:`derive` returns for a value it cannot read (None means: nothing to derive from, e.g. a BBN level).
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Derived:
    """A criticality and, in words, what it was derived from."""

    criticality: str
    source: str


def derive(name: str, field: str, value: str) -> Derived | str | None:
    """The criticality a property or column ``name`` (read as ``field``) with ``value`` gives.

    Returns a :class:`Derived`, None when the value carries no availability
    (a BBN level, a single V level), or :data:`UNREADABLE` when it is not a
    value of its kind at all.

    >>> derive("Beschikbaarheid", "availability", "hoog").source
    'derived from Beschikbaarheid "hoog": availability 3 → high'
    >>> derive("bedrijfskritisch", "business_critical", "Vitaal").criticality
    'vital'
    >>> derive("Beschikbaarheid", "availability", "zeer hoog")
    'unreadable'
    """
    text = value.strip()
    if not text:
        return None
    said = f'derived from {name} "{text}"'
    if field == "availability":
        b = level(text)
        return UNREADABLE if b is None else Derived(CRITICALITY_BY_B[b], f"{said}: availability {b} → {CRITICALITY_BY_B[b]}")
    if field == "classification":
        biv = parse_biv(text)
        if biv is None:
            return UNREADABLE if vocabulary().enum("classification").parse(text) is None else None
        if biv.availability is None:
            return None
        crit = CRITICALITY_BY_B[biv.availability]
        return Derived(crit, f"{said}: availability {biv.availability} → {crit}")
    if field == "business_critical":
        flag = vocabulary().enum("yes_no").parse(text)
        if flag is not None:
            return Derived(_FLAG[flag.id], f"{said} → {_FLAG[flag.id]}")
        given = vocabulary().enum("criticality").parse(text)
        return Derived(given.id, f"{said} → {given.id}") if given else UNREADABLE
    return None


def strongest(found: Iterable[Derived]) -> Derived | None:
    """The highest of several derived criticalities (the first of equals).

    >>> strongest([Derived("low", "a"), Derived("high", "b"), Derived("high", "c")]).source
    'b'
    """
    rank = {v.id: v.rank for v in vocabulary().enum("criticality").values}
    best = None
    for d in found:
        if best is None or rank[d.criticality] > rank[best.criticality]:
            best = d
    return best
