"""Deployment, technology and service chains of an ArchiMate model: which artifacts are software, which locations name a country.

:func:`sovmap.ingest.archimate.read_archimate` maps each relationship on its
own; the chains that real models draw need a look at the neighbours first.

Deployment chain
    ArchiMate 3 (and 2.1) draw where an application runs as
    ``Node/Device/SystemSoftware —Assignment→ Artifact —Realization→
    ApplicationComponent``. An Artifact is then the deployed software, not
    data: it is a **deployable** when it realises a system-kind element (an
    application component, system software, ...) or is assigned from one
    (a node, device or system software) without realising a DataObject. A
    deployable is imported as a system of type ``Artifact``, so the ordinary
    rules give *component depends_on artifact depends_on node*, and a
    supplier serving or associated with the node (``provided_by``) is a
    supplier of everything deployed on it. Any other Artifact (one that
    realises a DataObject, or stands alone) stays a data set: an artifact
    assigned from a node is then ``stored_in`` it.

Technology services and locations
    These need nothing extra: a TechnologyService serving an application is a
    system the application ``depends_on``; a Location aggregating or assigned
    to a node gives the node's location (``hosted_at``). A location's country
    comes from a country property (``land``, ``country``) or, failing that,
    from its name when the name *is* a country's full name, in English or
    Dutch, or ends with one (``"Rekencentrum Amsterdam, Nederland"``,
    ``"AWS eu-west-1 (Ireland)"``). Two- and three-letter codes in a name
    are not read as countries: ``DEN`` may be Denver.

Service chains
    A BusinessService realised by process A and serving process B is read
    as *B relies_on S relies_on A* (``relies_on``: process → process, see the
    ontology), so B fails when A fails. The same holds for a process serving
    another directly, and for a process composed of sub-processes.

Examples
--------
>>> from types import SimpleNamespace as E
>>> els = {"n": E(id="n", type="Node", kind="system"), "a": E(id="a", type="Artifact", kind="dataset"),
...        "c": E(id="c", type="ApplicationComponent", kind="system")}
>>> rels = [E(type="Assignment", source="n", target="a"), E(type="Realization", source="a", target="c")]
>>> deployables(els, rels)
{'a'}
>>> _ = mark_deployables(els, rels); els["a"].kind
'system'
>>> country_in_name("Rekencentrum Amsterdam, Nederland"), country_in_name("DEN-01"), country_in_name("Ierland")
('NL', None, 'IE')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Protocol

from sovmap.ontology.countries import parse_country

from .archimate_names import relationship_type

__all__ = ["DEPLOYABLE_TYPE", "country_in_name", "deployables", "mark_deployables", "place_locations"]

DEPLOYABLE_TYPE = "Artifact"
_MIN_NAME = 4  # shorter segments are codes (DEN, IT, NL-1), not evidence of a country


class _Element(Protocol):
    id: str
    type: str
    kind: str | None


class _Relationship(Protocol):
    type: str
    source: str
    target: str


def _pairs(elements: Mapping[str, _Element], rels: list[_Relationship]):
    """(type, source, target) of every relationship, joined through junctions (J → Artifact from Node → J)."""
    into: dict[str, list[_Relationship]] = defaultdict(list)
    out_of: dict[str, list[_Relationship]] = defaultdict(list)
    for r in rels:
        into[r.target].append(r)
        out_of[r.source].append(r)
    ends_cache: dict[tuple[str, bool], list[_Element]] = {}

    def ends(junction: str, upstream: bool) -> list[_Element]:
        """The elements a junction reaches upstream (its sources) or downstream, through chains of junctions."""
        key = (junction, upstream)
        if key not in ends_cache:
            found, seen, todo = [], {junction}, [junction]
            while todo:
                j = todo.pop()
                for r in (into[j] if upstream else out_of[j]):
                    other = elements.get(r.source if upstream else r.target)
                    if other is None:
                        continue
                    if other.kind == "junction":
                        if other.id not in seen:
                            seen.add(other.id)
                            todo.append(other.id)
                    else:
                        found.append(other)
            ends_cache[key] = found
        return ends_cache[key]

    for r in rels:
        s, t = elements.get(r.source), elements.get(r.target)
        if s is None or t is None:
            continue
        for a in (ends(s.id, True) if s.kind == "junction" else [s]):
            for b in (ends(t.id, False) if t.kind == "junction" else [t]):
                yield relationship_type(r.type), a, b


def deployables(elements: Mapping[str, _Element], rels: Iterable[_Relationship]) -> set[str]:
    """Ids of the Artifacts that are deployed software, not data (see the module docstring).

    Run before artifacts are given a kind of their own: it reads the kinds of
    the *other* ends only (``system`` for applications and technology).
    Relationships through junctions count as if drawn directly.
    """
    realises_system: set[str] = set()
    realises_data: set[str] = set()
    assigned: set[str] = set()
    for rtype, s, t in _pairs(elements, list(rels)):
        if rtype == "Realization" and s.type == DEPLOYABLE_TYPE:
            if t.type == "DataObject":
                realises_data.add(s.id)
            elif t.kind == "system" and t.type != DEPLOYABLE_TYPE:
                realises_system.add(s.id)
        elif rtype == "Assignment" and t.type == DEPLOYABLE_TYPE and s.kind == "system" and s.type != DEPLOYABLE_TYPE:
            assigned.add(t.id)
    return realises_system | (assigned - realises_data)


def mark_deployables(elements: Mapping[str, _Element], rels: Iterable[_Relationship]) -> set[str]:
    """Give the deployable Artifacts the kind ``system``; return their ids."""
    found = deployables(elements, list(rels))
    for eid in found:
        elements[eid].kind = "system"
    return found


def country_in_name(name: str) -> str | None:
    """The country a location's name states: the whole name, or its last part after a comma, dash or in brackets.

    >>> country_in_name("AWS eu-west-1 (Ireland)"), country_in_name("Datacenter Noord"), country_in_name("NL")
    ('IE', None, None)
    """
    text = " ".join(str(name or "").split())
    candidates = [text]
    bracket = re.search(r"\(([^()]+)\)\s*$", text)
    if bracket:
        candidates.append(bracket.group(1))
    tail = re.split(r"\s*(?:,|;|/|\s[-–]\s)\s*", text)
    if len(tail) > 1:
        candidates.append(tail[-1])
    for c in candidates:
        c = c.strip()
        if len(c) >= _MIN_NAME:
            code = parse_country(c)
            if code:
                return code
    return None


class _Draft(Protocol):
    def get(self, node_id: str, column: str) -> str: ...

    def set(self, node_id: str, column: str, value: object, *, line: int | None = None,
            replace: bool = False) -> bool: ...


def place_locations(d: _Draft, elements: Iterable) -> list[str]:
    """Give each imported location without a country the country its name states; return their node ids.

    Run after the elements (and their country properties) are added: a
    property always wins over the name.
    """
    placed = []
    for e in elements:
        if getattr(e, "kind", None) != "location" or getattr(e, "node", None) is None or d.get(e.node, "country"):
            continue
        code = country_in_name(e.name)
        if code and d.set(e.node, "country", code, line=e.line):
            placed.append(e.node)
    return placed
