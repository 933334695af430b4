"""ArchiMate models (The Open Group's Model Exchange File Format, as Archi, BiZZdesign, Sparx EA, Visual Paradigm and ARIS export it) as a canonical inventory.

:func:`read_archimate` reads the ``<elements>`` and ``<relationships>`` of an
exchange file, ArchiMate 2.1 or 3.x, and turns them into the canonical
inventory tables, validated like any inventory. 2.1 names
(``UsedByRelationship``, ``InfrastructureService``, ``Junction`` with a
``JunctionType`` property ...) are read as their 3.x counterparts
(:mod:`sovmap.ingest.archimate_names`). Views, diagrams and the folder
structure (``<organizations>``) are layout only and are not read. Every
element and relationship that has no place in the inventory is reported
with its line, id, type and name: each relationship of the file is either
imported or reported, once. A native Archi model (``.archimate``) is refused
with how to export an exchange file.

The file is parsed with defusedxml and refused when it declares a DTD or
entities (:mod:`sovmap.ingest.archimate_xml`).

Elements
    =================================================================  ==================
    ArchiMate element                                                  inventory
    =================================================================  ==================
    ApplicationComponent, ApplicationService, SystemSoftware, Node,    system (its type is the ArchiMate 3.x type)
    Device, TechnologyService, CommunicationNetwork, Path (2.1:
    InfrastructureService, Network, CommunicationPath)
    BusinessProcess, BusinessService                                   process
    DataObject, Artifact                                               data set (a deployed Artifact: system,
                                                                       see :mod:`sovmap.ingest.archimate_chains`)
    BusinessActor                                                      supplier or organisation (below)
    Location                                                           location
    OrJunction, AndJunction (2.1: Junction, JunctionType or/and)       joins relationships (below)
    anything else (BusinessRole, BusinessObject, Principle, ...)       reported, not imported
    =================================================================  ==================

    A BusinessActor (or a BusinessRole whose properties name its role) is a
    **supplier** only on evidence: a property that says so (``GEMMA type =
    Leverancier``, ``leverancier: ja``), a relationship to a system together
    with a supplier catalogue match, a system property naming it, or the
    user's mapping file. The model's own organisation and its teams become
    **organisations** (teams part_of it); an actor linked to systems with
    nothing said is imported as a supplier of unknown ownership and listed to
    check. The rules are in :mod:`sovmap.ingest.archimate_roles`.

    Properties are read by name, with the same names a flat application list
    accepts (``ingest/flatlist.py``): on a system ``leverancier``, ``hosting``,
    ``land``, ``BIV``, ``kritikaliteit``, ``exitplan`` ... act as in a flat list
    row; on a process ``kritikaliteit`` and ``afdeling``; on a data object
    ``classificatie``/``BIV``/``BBN`` and ``persoonsgegevens``; on an actor or a
    location ``land``. Any other property is kept as an extra column. Every
    node keeps its ArchiMate identifier in the extra column ``archimate_id``.

Relationships
    Failure flows from what is served, realised, accessed or contained to what
    needs it. Each relationship ``A → B`` (source A, target B) becomes a
    dependency *dependent → needed*, typed by the two kinds (``uses``,
    ``depends_on``, ``stored_in``, ``provided_by``, ``hosted_at``,
    ``operated_by``, ``belongs_to``, ``part_of``, ``owned_by``):

    ============================  ======================  ===============================================
    relationship A → B (3.x;      dependency              because
    2.1 adds ``Relationship``)
    ============================  ======================  ===============================================
    Serving (2.1: UsedBy)         B → A                   B is served by A: B needs A
    Realization (2.1:             B → A                   B exists through A (a service through the
    Realisation)                                          component realising it)
    Assignment                    B → A                   A performs or hosts B (a node hosting an
                                                          artifact, an organisation performing a process)
    Access (process → data)       A → B  ``uses``         the process needs the data
    Access (system → data)        B → A  ``stored_in``    the data lives in the system that accesses it
    Aggregation, Composition      A → B                   the whole needs its parts (a node its devices)
    … whose whole A is a          B → A                   the part lies in the location (``hosted_at``),
    location, organisation or                             belongs to the organisation (``belongs_to``,
    supplier                                              ``part_of``) or is owned by the supplier
                                                          (``owned_by``)
    Association (supplier–system) system → supplier       the supplier provides the system
    Association (location–system) system → location       the system runs at the location
    Association (organisation–    system → organisation   the organisation uses or owns the system
    system)                       ``belongs_to``
    Triggering, Flow,             —                       order and information flow, kinds, motivation;
    Specialization (2.1:                                  not dependence: reported
    Specialisation), Influence,
    other Associations
    ============================  ======================  ===============================================

    A pair of kinds the inventory has no relation for (a data set realising
    a data set, a process served by a supplier) is reported, as is a
    relationship whose end is not imported. Deployment chains (an Artifact
    that deploys software is a system), service chains between processes
    (``relies_on``) and locations named after a country:
    :mod:`sovmap.ingest.archimate_chains`.

    Relationships through a junction are joined end to end (A → J → B gives
    A → B; chains of junctions too), each path read as one relationship of
    its type. Through an **Or**-junction, the needed items one dependent
    reaches form a group of alternatives (``alternative_group`` =
    ``or-<junction id>``, ``min_required`` 1): B works while any of them
    works. Through an And-junction they are ordinary dependencies. A leg of
    a junction is imported when a path through it is; otherwise it is
    reported on its own (mixed types, a junction that leads nowhere, an end
    that is not imported).

Examples
--------
>>> xml = b'''<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
...   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">
...  <elements>
...   <element identifier="p" xsi:type="BusinessProcess"><name>Vergunningverlening</name></element>
...   <element identifier="a" xsi:type="ApplicationComponent"><name>Zaaksysteem</name></element>
...   <element identifier="v" xsi:type="BusinessActor"><name>Centric</name></element>
...  </elements>
...  <relationships>
...   <relationship identifier="r1" source="a" target="p" xsi:type="Serving"/>
...   <relationship identifier="r2" source="v" target="a" xsi:type="Serving"/>
...  </relationships>
... </model>'''
>>> conv = read_archimate("model.xml", xml)
>>> inv, problems = conv.load()
>>> sorted((e.source, e.relation, e.target) for e in inv.edges)
[('P-VERGUNNINGVERLENING', 'uses', 'SYS-ZAAKSYSTEEM'), ('SYS-ZAAKSYSTEEM', 'provided_by', 'S-CENTRIC')]
>>> conv.version, conv.relationships, conv.imported_relationships
('3.x', 2, ['r1', 'r2'])
>>> read_archimate("bomb.xml", b'<!DOCTYPE m [<!ENTITY a "aaaa">]><m>&a;</m>').problems[0].rule
'unsafe-xml'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sovmap.ontology.vocab import normalise_token, vocabulary

from .archimate_chains import mark_deployables, place_locations
from .archimate_names import ARCHI_NATIVE_NS, EXCHANGE_NS, element_type, junction_type, relationship_type, version_of
from .archimate_roles import ActorRole, apply_roles, decide_roles
from .archimate_xml import local, parse, text_of
from .draft import Conversion, Draft
from .biv import parse_biv
from .flatlist import Row, RowConverter, field_for
from .names import fold_text
from .problems import Problem, with_article
from .read import limits, too_large
from .validate import safe_column_name

__all__ = ["ELEMENT_KINDS", "ArchimateConversion", "native_archi_problem", "read_archimate"]

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
ARCHIMATE_NS = EXCHANGE_NS

#: ArchiMate 3.x element type → inventory kind (``actor``: supplier or organisation, decided per element).
#: 2.1 names are read as their 3.x counterparts first (:mod:`sovmap.ingest.archimate_names`).
ELEMENT_KINDS: dict[str, str] = {
    "ApplicationComponent": "system", "ApplicationService": "system", "SystemSoftware": "system", "Node": "system",
    "Device": "system", "TechnologyService": "system", "CommunicationNetwork": "system", "Path": "system",
    "BusinessProcess": "process", "BusinessService": "process",
    "DataObject": "dataset", "Artifact": "dataset",
    "BusinessActor": "actor",
    "Location": "location",
    "OrJunction": "junction", "AndJunction": "junction",
    "Junction": "junction",  # read as OrJunction or AndJunction (archimate_names.junction_type); kept for callers
}
_NEEDS_TARGET = {"Serving", "Realization", "Assignment"}  # B → A
_WHOLE_PART = {"Aggregation", "Composition"}
_NOT_DEPENDENCY = {"Triggering", "Flow", "Specialization", "Influence"}
_SUPPLIER_WORDS = {"leverancier", "supplier", "vendor", "externe_leverancier", "hoster", "hostingpartij"}
_YES = {"ja", "yes", "y", "j", "true", "x", "1", "waar"}
_ROLE_PROPERTIES = {"type", "soort", "rol", "role", "categorie", "category", "kind"}


@dataclass
class _Element:
    id: str
    type: str
    name: str
    line: int | None
    props: list[tuple[str, str]] = field(default_factory=list)
    kind: str | None = None
    node: str | None = None
    role: str = ""  # a business actor's role (archimate_roles.ROLES or "unknown")
    written: str = ""  # the type as the file writes it (2.1: InfrastructureService), when it differs


@dataclass
class _Relationship:
    id: str
    type: str
    source: str
    target: str
    line: int | None
    name: str = ""
    written: str = ""  # the type as the file writes it (2.1: UsedByRelationship), when it differs
    imported: bool = False  # some dependency or reference in the inventory comes from it
    reported: bool = False  # it was reported as not imported (once)


@dataclass
class ArchimateConversion(Conversion):
    """A :class:`~sovmap.ingest.draft.Conversion` of an exchange file, with the account of its relationships.

    Every relationship in the file is either imported (``imported_relationships``,
    their identifiers) or reported one by one (a problem with rule
    ``unmapped-relationship`` whose value is its identifier).
    """

    version: str = ""  # "2.1" or "3.x"; empty when the file is no exchange file
    relationships: int = 0  # in the file
    imported_relationships: list[str] = field(default_factory=list)


def native_archi_problem(name: str, line: int | None = None) -> Problem:
    """The problem that refuses a native Archi model file (``.archimate``) and says how to export it."""
    return Problem("unreadable-source", name, line, None, "archimate:model",
                   "This is a native Archi model file (.archimate), which sovmap does not read: it reads the Open Group "
                   "exchange format that every ArchiMate tool writes.",
                   "In Archi, export it with File › Export › Model to Open Exchange File, and convert that .xml file.")


def read_archimate(name: str, data: bytes, *, lang: str = "en", mapping: dict | None = None) -> ArchimateConversion:
    """Convert an ArchiMate Model Exchange File into canonical inventory tables.

    Parameters
    ----------
    name
        The file name, used in every problem.
    data
        The file's bytes.
    lang
        ``nl`` or ``en``: which name to take when elements have names in
        several languages, and the language of stand-in names (see
        :mod:`sovmap.ingest.flatlist`).
    mapping
        The user's mapping file (:func:`sovmap.ingest.flatlist.load_mapping`): its ``actors:`` and
        ``roles:`` sections decide actors' roles (:mod:`sovmap.ingest.archimate_roles`).

    Returns
    -------
    ArchimateConversion
        Canonical tables, every element and relationship that was not
        imported (rules ``unmapped-element``, ``unmapped-relationship``), and
        the account of the relationships.
    """
    d = Draft(name)
    done = lambda: ArchimateConversion.from_draft(d, "archimate")  # noqa: E731
    lim = limits()
    if len(data) > lim.max_bytes:
        d.problems.append(too_large(name, f"The file is {len(data):,} bytes, over the limit of {lim.megabytes()}", lim))
        return done()
    root, lines, problems = parse(name, data)
    d.problems.extend(problems)
    if root is None:
        return done()
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if local(root.tag) == "model" and ns == ARCHI_NATIVE_NS:
        d.problems.append(native_archi_problem(name, lines.get(id(root))))
        return done()
    if local(root.tag) != "model" or not ns.startswith(ARCHIMATE_NS):
        d.problems.append(Problem("unreadable-source", name, lines.get(id(root)), None, local(root.tag),
                                  "This is not an ArchiMate Model Exchange File (its root is not an ArchiMate <model>).",
                                  "Export the model as an Open Exchange File (.xml): in Archi File › Export › Model to "
                                  "Open Exchange File; see docs/import.md for BiZZdesign, Sparx EA, Visual Paradigm and ARIS."))
        return done()
    version = version_of(ns)
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731

    prop_names: dict[str, str] = {}
    for pd in root.iter(q("propertyDefinition")):
        prop_names[pd.get("identifier", "")] = text_of(pd, ns, lang) or pd.get("name", "")
    for pd in root.iter(q("propertydef")):  # ArchiMate 2.1
        prop_names[pd.get("identifier", "")] = pd.get("name", "")

    elements: dict[str, _Element] = {}
    container = root.find(q("elements"))
    for el in (container if container is not None else []):
        written = (el.get(XSI_TYPE) or "").split(":")[-1]
        e = _Element(el.get("identifier", ""), element_type(written), text_of(el, ns, lang), lines.get(id(el)))
        for p in el.iter(q("property")):
            ref = p.get("propertyDefinitionRef") or p.get("identifierref") or p.get("identifierRef") or ""
            values = p.findall(q("value"))
            value = " ".join((values[0].text or "").split()) if values else ""
            e.props.append((prop_names.get(ref, ref), value))
        e.type = junction_type(written, el.get("type") or "", e.props) or e.type
        e.written = written if written != e.type else ""
        e.kind = ELEMENT_KINDS.get(e.type)
        if e.id in elements:
            first = elements[e.id]
            d.problems.append(Problem("duplicate-id", name, e.line, "element", e.id,
                                      f'{_label(e)} has the identifier of {_label(first)} on line {first.line}; '
                                      "only the first was imported.",
                                      "Give every element its own identifier (export the model again from your modelling tool)."))
            continue
        elements[e.id] = e

    rels: list[_Relationship] = []
    untyped = 0
    container = root.find(q("relationships"))
    for r in (container if container is not None else []):
        rtype = (r.get(XSI_TYPE) or "").split(":")[-1]
        if not rtype:
            untyped += 1
            d.problems.append(Problem("unmapped-relationship", name, lines.get(id(r)), "relationship", r.get("identifier", ""),
                                      f'The relationship {r.get("identifier", "")} ({r.get("source", "")} → {r.get("target", "")}) '
                                      "has no type (xsi:type); it was not imported.",
                                      'Give it a type such as xsi:type="Serving", or export the model again.'))
            continue
        canonical = relationship_type(rtype)
        rels.append(_Relationship(r.get("identifier", ""), canonical, r.get("source", ""), r.get("target", ""),
                                  lines.get(id(r)), text_of(r, ns, lang), written=rtype if rtype != canonical else ""))

    mark_deployables(elements, rels)  # an Artifact that deploys software is a system, not data
    props = root.find(q("properties"))
    model_props = [(prop_names.get(p.get("propertyDefinitionRef") or p.get("identifierref") or "", ""),
                    " ".join((p.findtext(q("value")) or "").split())) for p in (props if props is not None else [])]
    roles = _decide_actors(d, elements, rels, text_of(root, ns, lang), model_props, mapping)
    conv = RowConverter(d, lang)
    for e in elements.values():
        _add_element(d, conv, e)
    place_locations(d, elements.values())  # a location named after a country lies in it
    apply_roles(d, elements, roles)
    conv.mark_derived()  # processes whose criticality was derived get criticality_source
    _add_relationships(d, elements, rels)
    if not any(n for k in ("system", "process", "dataset", "supplier", "organisation", "location") for n in d.ids(k)):
        d.problems.append(_nothing_imported(name, version, elements))
    result = done()
    result.actors = list(roles.values())
    result.version, result.relationships = version, len(rels) + untyped
    result.imported_relationships = [r.id for r in rels if r.imported]
    return result


def _nothing_imported(name: str, version: str, elements: dict[str, _Element]) -> Problem:
    """The error for an exchange file none of whose elements has a place in the inventory."""
    types = sorted({e.written or e.type for e in elements.values()})
    found = (f"its {len(elements)} element(s) are of types sovmap does not import ({', '.join(types[:8])}"
             f"{', ...' if len(types) > 8 else ''})") if elements else "it has no <elements>"
    return Problem("no-inventory", name, None, None, None,
                   f"Nothing was imported: the file was read as an ArchiMate {version} exchange file, but {found}.",
                   "sovmap imports application components and services, technology (nodes, devices, system software, "
                   "technology services, networks), business processes and services, data objects and artifacts, "
                   "business actors and locations. Export the model with these elements, or use a flat application list.")


def _label(e: _Element) -> str:
    etype = f"{e.written} ({e.type})" if e.written else e.type
    return f'{etype} "{e.name}" ({e.id})' if e.name else f"{etype} {e.id}"


def _says_supplier(e: _Element) -> bool:
    for pname, value in e.props:
        token, vtoken = normalise_token(fold_text(pname)), normalise_token(fold_text(value))
        if token in _SUPPLIER_WORDS and (vtoken in _YES or not vtoken):
            return True
        if token in _ROLE_PROPERTIES and vtoken in _SUPPLIER_WORDS:
            return True
    return False


def _decide_actors(d: Draft, elements: dict[str, _Element], rels: list[_Relationship], model_name: str,
                   model_props: list[tuple[str, str]], mapping: dict | None) -> dict[str, ActorRole]:
    """Each business actor (and business role with a role of its own) a supplier or an organisation, on evidence: see :mod:`.archimate_roles`."""
    roles, problems = decide_roles(elements, rels, source=d.source, model_name=model_name, model_props=model_props,
                                   mapping=mapping)
    d.problems.extend(problems)
    for r in roles.values():
        elements[r.id].kind, elements[r.id].role = r.kind, r.role
    return roles


def _add_element(d: Draft, conv: RowConverter, e: _Element) -> None:
    if e.kind is None:
        hint = {"BusinessObject": "The data objects that realise it are imported as data sets.",
                "BusinessRole": "Assign the business actor to the process directly to keep who performs it.",
                "ApplicationFunction": "The application component that performs it is imported as a system.",
                "BusinessFunction": "Model the processes within the function as BusinessProcess."}.get(
            e.type, "sovmap imports applications, technology, processes, data, actors and locations.")
        d.problems.append(Problem("unmapped-element", d.source, e.line, "element", e.id,
                                  f"{_label(e)} has no counterpart in the inventory; it was not imported.", hint))
        return
    if e.kind == "junction":
        return
    name = e.name or f"{e.type} {e.id}"
    if e.kind == "system":
        by_field: dict[str, tuple[str, str]] = {"application": ("name", name)}
        extras = [("archimate_id", e.id)]
        for pname, value in e.props:
            fid = field_for(pname)
            if fid and fid not in ("application", "application_id") and fid not in by_field:
                by_field[fid] = (pname, value)
            else:
                extras.append((pname, value))
        e.node = conv.row(Row(e.line, by_field, extras), key="archimate:" + e.id)
        d.set(e.node, "type", e.type, line=e.line)
        return
    # Organisations and suppliers are found by name, so that a property naming one finds the actor.
    if e.kind == "supplier":
        e.node = conv.supplier(name, Row(e.line))
        d.set(e.node, "archimate_id", e.id, line=e.line)
    else:
        key = fold_text(name) if e.kind == "organisation" else "archimate:" + e.id
        e.node = d.add(e.kind, name, key=key, line=e.line, archimate_id=e.id)
    _add_properties(d, conv, e)


def _add_properties(d: Draft, conv: RowConverter, e: _Element) -> None:
    """Properties of a process, data set, actor or location (systems go through the flat-list row logic)."""
    v = vocabulary()
    row = Row(e.line, {})
    for pname, value in e.props:
        fid = field_for(pname)
        row.by_field = {fid: (pname, value)} if fid else {}
        if not value:
            continue
        if e.kind == "process" and fid == "criticality":
            d.set(e.node, "criticality", conv.enum_value(row, fid), line=e.line)
        elif e.kind == "dataset" and fid in ("classification", "confidentiality"):
            ev = v.enum("classification").parse(value)
            biv = parse_biv(value) if ev is None else None
            if ev is None and biv is None:
                conv.report(row, fid, value, f'"{value}" is not a classification, BIV or BBN rating sovmap can read; '
                            "it was not used.", 'Write e.g. "BBN2", "BIV 3-2-2" or public | internal | confidential | secret.')
            else:
                d.set(e.node, "classification", ev.id if ev else biv.classification, line=e.line)
                if ev is None:
                    d.set(e.node, pname, value, line=e.line)
        elif e.kind == "dataset" and fid == "personal_data":
            d.set(e.node, "personal_data", conv.enum_value(row, fid), line=e.line)
        elif e.kind in ("process", "dataset") and fid == "organisation":
            org = d.add("organisation", value, key=fold_text(value), line=e.line)
            d.link(e.node, org, "belongs_to", line=e.line)
        elif e.kind in ("supplier", "organisation", "location") and fid in ("supplier_country", "location_country"):
            code = conv.country(row, fid)
            d.set(e.node, "country", code, line=e.line)
        elif e.kind == "location" and fid in ("operator", "hosting_party"):
            d.link(e.node, conv.supplier(value, row), "operated_by", line=e.line)
        elif e.kind == "supplier" and normalise_token(pname) == "lei":
            d.set(e.node, "lei", value, line=e.line)
        elif e.kind == "supplier" and _says_supplier(_Element(e.id, e.type, e.name, e.line, [(pname, value)])):
            continue  # the property that made the actor a supplier
        else:
            d.set(e.node, _extra_name(e.kind, pname), value, line=e.line)
    if e.kind == "process":
        conv.process_properties(e.node, e.props, e.line)  # criticality from BIV, Beschikbaarheid, bedrijfskritisch


def _extra_name(kind: str, name: str) -> str:
    """A property kept as an extra column, renamed when it would read as one of the kind's own columns."""
    name = safe_column_name(name.strip() if normalise_token(name) else "property")  # "-" names no column
    aliases = {a for c in vocabulary().kind(kind).columns for a in c.aliases}
    return f"{name} (property)" if normalise_token(name) in aliases else name


def _orient(rtype: str, s: _Element, t: _Element) -> tuple[_Element, _Element, str | None] | None:
    """(dependent, needed, explicit relation or None for the implied one) for a relationship s → t, or None."""
    if rtype in _NEEDS_TARGET:
        dep, need = t, s
    elif rtype == "Access":
        if t.kind != "dataset":
            return None
        if s.kind == "process":
            return s, t, "uses"
        if s.kind == "system":
            return t, s, "stored_in"
        return None
    elif rtype in _WHOLE_PART:
        dep, need = (t, s) if s.kind in ("location", "organisation", "supplier") else (s, t)
        if dep.kind == need.kind == "organisation":
            return dep, need, "part_of"
        if dep.kind == need.kind == "supplier":
            return dep, need, "owned_by"
    elif rtype == "Association":
        pair = {s.kind: s, t.kind: t}
        if "system" in pair and ("supplier" in pair or "location" in pair) and len(pair) == 2:
            other = pair.get("supplier") or pair.get("location")
            return pair["system"], other, None
        if "system" in pair and "organisation" in pair and len(pair) == 2 and pair["organisation"].role != "other":
            # the organisation (or team) that uses or owns it; citizens, customers, partners do not own it
            return pair["system"], pair["organisation"], "belongs_to"
        return None
    else:
        return None
    if need.kind == "organisation" and dep.kind in ("process", "dataset", "system") and rtype != "Serving":
        return dep, need, "belongs_to"
    return dep, need, None


def _add_relationships(d: Draft, elements: dict[str, _Element], rels: list[_Relationship]) -> None:
    """Import each relationship as a dependency (through junctions end to end); report each one not imported, once.

    Afterwards every relationship is either ``imported`` or ``reported``.
    """
    by_id = {r.id for r in rels}
    out_of: dict[str, list[_Relationship]] = defaultdict(list)
    for r in rels:
        if elements.get(r.source) and elements[r.source].kind == "junction":
            out_of[r.source].append(r)
    why_not: dict[int, str] = {}  # id(relationship) → the first reason a path through it was not imported

    def report(r: _Relationship, why: str, hint: str = "") -> None:
        if r.imported or r.reported:
            return
        r.reported = True
        s, t = elements.get(r.source), elements.get(r.target)
        ends = f"{_label(s) if s else r.source} → {_label(t) if t else r.target}"
        rtype = f"{r.written} ({r.type})" if r.written else r.type
        d.problems.append(Problem("unmapped-relationship", d.source, r.line, "relationship", r.id,
                                  f"{rtype} {ends} was not imported: {why}.", hint))

    def orient(s: _Element, t: _Element, rtype: str) -> tuple[_Element, _Element, str | None] | str:
        """(dependent, needed, relation) for a relationship s → t, or why there is none."""
        if s.node is None or t.node is None:
            return f"{_label(s if s.node is None else t)} is not imported itself"
        if rtype in _NOT_DEPENDENCY:
            says = {"Specialization": "says one is a kind of the other", "Influence": "is about motivation"}.get(
                rtype, "orders work or passes information")
            return f"{with_article(rtype)} {says}; it does not make one depend on the other"
        oriented = _orient(rtype, s, t)
        if oriented is None:
            return f"sovmap reads no dependency from {with_article(rtype)} between {with_article(s.kind)} and {with_article(t.kind)}"
        return oriented

    def no_relation(dep_node: str, need: _Element) -> str:
        return f"the inventory has no relation from {with_article(d.kind_of(dep_node))} to {with_article(need.kind)}"

    # Direct relationships; those into a junction start the paths through it.
    starts: list[tuple[_Relationship, _Element]] = []
    for r in rels:
        s, t = elements.get(r.source), elements.get(r.target)
        if s is None or t is None:
            report(r, "it connects to another relationship, which sovmap does not read"
                   if r.source in by_id or r.target in by_id else "its source or target is not an element of the model")
        elif s.kind == "junction":
            continue  # a leg of a path that starts at an element
        elif t.kind == "junction":
            starts.append((r, s))
        else:
            res = orient(s, t, r.type)
            if isinstance(res, str):
                report(r, res)
            elif d.link(res[0].node, res[1].node, res[2], line=r.line):
                r.imported = True
            else:
                report(r, no_relation(res[0].node, res[1]))

    # Paths element → junction(s) → element become one relationship element → element. The needed
    # items one dependent reaches through the same (first) Or-junction are alternatives of one group.
    candidates: dict[tuple[str, str | None], list[tuple[list[_Relationship], _Element, str | None]]] = defaultdict(list)
    for first, s in starts:
        paths: list[tuple[list[_Relationship], _Element]] = []
        todo, seen = [(first.target, [first])], {first.target}
        while todo:  # without recursion: chains of junctions may be long
            j, path = todo.pop()
            for r in out_of[j]:
                t = elements.get(r.target)
                if t is None:
                    continue  # reported above
                if t.kind != "junction":
                    paths.append((path + [r], t))
                elif t.id not in seen:
                    seen.add(t.id)
                    todo.append((t.id, path + [r]))
        if not paths:
            why_not.setdefault(id(first), f"junction {first.target} leads to no element")
        for path, t in paths:
            types = list(dict.fromkeys(r.type for r in path))
            if len(types) > 1:
                res: tuple | str = (f"the relationships joined by junction {first.target} are of different types "
                                    f"({', '.join(types)}), which ArchiMate does not allow")
            else:
                res = orient(s, t, types[0])
            if isinstance(res, str):
                for r in path:
                    why_not.setdefault(id(r), res)
                continue
            dep, need, rel = res
            junctions = [elements[r.target] for r in path[:-1]]
            or_junction = next((j.id for j in junctions if j.type == "OrJunction"), None)
            candidates[(dep.node, or_junction)].append((path, need, rel))

    for (dep_node, or_junction), found in candidates.items():
        unique: dict[tuple[str, str | None], tuple[list[_Relationship], _Element, str | None]] = {}
        paths_of: dict[tuple[str, str | None], list[list[_Relationship]]] = defaultdict(list)
        for path, need, rel in found:
            unique.setdefault((need.node, rel), (path, need, rel))
            paths_of[(need.node, rel)].append(path)
        group = f"or-{or_junction}" if or_junction and len(unique) > 1 else None
        for key, (path, need, rel) in unique.items():
            if d.link(dep_node, need.node, rel, group=group, min_required=1 if group else None, line=path[-1].line):
                for p in paths_of[key]:
                    for r in p:
                        r.imported = True
            else:
                for p in paths_of[key]:
                    for r in p:
                        why_not.setdefault(id(r), no_relation(dep_node, need))

    for r in rels:
        if not (r.imported or r.reported):
            report(r, why_not.get(id(r)) or (f"no element leads into junction {r.source}" if r.source in out_of
                                             else "it was not joined with a relationship on the other side of its junction"))
