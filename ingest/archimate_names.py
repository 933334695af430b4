"""The names ArchiMate 2.1 and 3.x exchange files give element and relationship types, mapped onto one set.

The Open Group's exchange format exists in two versions, told apart by the
namespace of the root ``<model>``: ``http://www.opengroup.org/xsd/archimate``
(ArchiMate 2.1, Archi 3/4, older BiZZdesign) and
``http://www.opengroup.org/xsd/archimate/3.0/`` (ArchiMate 3.0, 3.1 and 3.2).
2.1 names relationships with a ``Relationship`` suffix and in British
spelling (``UsedByRelationship``, ``RealisationRelationship``), names the
technology layer "infrastructure" and writes junctions as ``Junction`` with a
``JunctionType`` property (Archi) instead of ``AndJunction``/``OrJunction``.
:func:`element_type` and :func:`relationship_type` give the 3.x name of each.

Examples
--------
>>> relationship_type("UsedByRelationship"), relationship_type("RealisationRelationship"), relationship_type("Serving")
('Serving', 'Realization', 'Serving')
>>> element_type("InfrastructureService"), element_type("Network"), element_type("ApplicationComponent")
('TechnologyService', 'CommunicationNetwork', 'ApplicationComponent')
>>> version_of("http://www.opengroup.org/xsd/archimate"), version_of("http://www.opengroup.org/xsd/archimate/3.0/")
('2.1', '3.x')
"""

from __future__ import annotations

__all__ = ["ARCHI_NATIVE_NS", "ELEMENT_ALIASES", "EXCHANGE_NS", "RELATIONSHIP_ALIASES", "RELATIONSHIP_TYPES",
           "element_type", "junction_type", "relationship_type", "version_of"]

#: The namespace every exchange file's root starts with (2.1 exactly this, 3.x with ``/3.0/`` after it).
EXCHANGE_NS = "http://www.opengroup.org/xsd/archimate"
#: The namespace of Archi's own model files (``.archimate``), which are not exchange files.
ARCHI_NATIVE_NS = "http://www.archimatetool.com/archimate"

#: ArchiMate 2.1 element type → the 3.x type with the same meaning.
ELEMENT_ALIASES: dict[str, str] = {
    "InfrastructureService": "TechnologyService",
    "InfrastructureInterface": "TechnologyInterface",
    "InfrastructureFunction": "TechnologyFunction",
    "Network": "CommunicationNetwork",
    "CommunicationPath": "Path",
}

#: The relationship types of ArchiMate 3.x.
RELATIONSHIP_TYPES = ("Composition", "Aggregation", "Assignment", "Realization", "Serving", "Access", "Influence",
                      "Triggering", "Flow", "Specialization", "Association")

#: Other spellings of relationship types (2.1 and British) → the 3.x type, after any ``Relationship`` suffix is cut.
RELATIONSHIP_ALIASES: dict[str, str] = {
    "UsedBy": "Serving", "Realisation": "Realization", "Specialisation": "Specialization",
}


def version_of(namespace: str) -> str:
    """``2.1`` or ``3.x`` for the namespace of an exchange file's root (anything after ``/archimate/`` is 3.x)."""
    return "2.1" if namespace.rstrip("/") == EXCHANGE_NS else "3.x"


def element_type(written: str) -> str:
    """The 3.x element type for a type as written in a 2.1 or 3.x file (``xsi:type`` without its prefix)."""
    return ELEMENT_ALIASES.get(written, written)


def relationship_type(written: str) -> str:
    """The 3.x relationship type for ``UsedByRelationship``, ``Realisation``, ``Serving`` ...

    >>> relationship_type("SpecialisationRelationship"), relationship_type("AccessRelationship")
    ('Specialization', 'Access')
    """
    name = written[: -len("Relationship")] if written.endswith("Relationship") and written != "Relationship" else written
    return RELATIONSHIP_ALIASES.get(name, name)


def junction_type(written: str, attribute: str, props: list[tuple[str, str]]) -> str | None:
    """``OrJunction`` or ``AndJunction`` for a junction element, else None.

    3.x writes ``AndJunction``/``OrJunction``; some writers use ``Junction`` with a
    ``type`` attribute, and Archi's 2.1 export ``Junction`` with a ``JunctionType``
    property (``or``; none means and).

    >>> junction_type("Junction", "", [("JunctionType", "or")]), junction_type("Junction", "", [])
    ('OrJunction', 'AndJunction')
    >>> junction_type("OrJunction", "", []), junction_type("Node", "", []) is None
    ('OrJunction', True)
    """
    if written in ("AndJunction", "OrJunction"):
        return written
    if written != "Junction":
        return None
    kinds = [attribute] + [value for name, value in props if name.replace(" ", "").lower() == "junctiontype"]
    return "OrJunction" if any(k.strip().lower() == "or" for k in kinds) else "AndJunction"
