"""ArchiMate models (The Open Group's Model Exchange File Format, as exported by Archi and BiZZdesign) as a canonical inventory.

:func:`read_archimate` reads the ``<elements>`` and ``<relationships>`` of an
exchange file (ArchiMate 3.x, and 2.1 names such as ``UsedBy``) and turns
them into the canonical inventory tables, validated like any inventory.
Views, diagrams and the folder structure (``<organizations>``) are layout
only and are not read. Every element and relationship that has no place in
the inventory is reported with its line, id, type and name.

The file is parsed with defusedxml and refused when it declares a DTD or
entities (billion-laughs expansion, external entities reading local files):
exchange files never need them.

Elements
    =================================================================  ==================
    ArchiMate element                                                  inventory
    =================================================================  ==================
    ApplicationComponent, ApplicationService, SystemSoftware, Node,    system (its type is the ArchiMate type)
    Device, TechnologyService, CommunicationNetwork
    BusinessProcess, BusinessService                                   process
    DataObject, Artifact                                               data set
    BusinessActor                                                      supplier or organisation (below)
    Location                                                           location
    Junction (OrJunction, AndJunction)                                 joins relationships (below)
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
    relationship A → B            dependency              because
    ============================  ======================  ===============================================
    Serving                       B → A                   B is served by A: B needs A
    Realization                   B → A                   B exists through A (a service through the
                                                          component realising it)
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
    Triggering, Flow,             —                       order and information flow, not dependence:
    Specialization, Influence,                            reported
    other Associations
    ============================  ======================  ===============================================

    A pair of kinds the inventory has no relation for (a data set realising
    a data set, a process served by a supplier) is reported, as is a
    relationship whose end is not imported. Deployment chains (an Artifact
    that deploys software is a system), service chains between processes
    (``relies_on``) and locations named after a country:
    :mod:`sovmap.ingest.archimate_chains`.

    Relationships through a junction are joined end to end (A → J → B gives
    A → B). Through an **Or**-junction, the needed items one dependent reaches
    form a group of alternatives (``alternative_group`` = ``or-<junction id>``,
    ``min_required`` 1): B works while any of them works. Through an
    And-junction they are ordinary dependencies.

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
>>> inv, problems = read_archimate("model.xml", xml).load()
>>> sorted((e.source, e.relation, e.target) for e in inv.edges)
[('P-VERGUNNINGVERLENING', 'uses', 'SYS-ZAAKSYSTEEM'), ('SYS-ZAAKSYSTEEM', 'provided_by', 'S-CENTRIC')]
>>> read_archimate("bomb.xml", b'<!DOCTYPE m [<!ENTITY a "aaaa">]><m>&a;</m>').problems[0].rule
'unsafe-xml'
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from sovmap.ontology.vocab import normalise_token, vocabulary

from .archimate_chains import mark_deployables, place_locations
from .archimate_roles import ActorRole, apply_roles, decide_roles
from .draft import Conversion, Draft
from .biv import parse_biv
from .flatlist import Row, RowConverter, field_for
from .names import fold_text
from .problems import Problem, with_article
from .read import limits, too_large
from .validate import safe_column_name

__all__ = ["ELEMENT_KINDS", "read_archimate"]

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
ARCHIMATE_NS = "http://www.opengroup.org/xsd/archimate"

#: ArchiMate element type → inventory kind (``actor``: supplier or organisation, decided per element).
ELEMENT_KINDS: dict[str, str] = {
    "ApplicationComponent": "system", "ApplicationService": "system", "SystemSoftware": "system", "Node": "system",
    "Device": "system", "TechnologyService": "system", "CommunicationNetwork": "system",
    "InfrastructureService": "system",  # ArchiMate 2.1 name of TechnologyService
    "BusinessProcess": "process", "BusinessService": "process",
    "DataObject": "dataset", "Artifact": "dataset",
    "BusinessActor": "actor",
    "Location": "location",
    "OrJunction": "junction", "AndJunction": "junction", "Junction": "junction",
}
_RELATIONSHIP_ALIASES = {"UsedBy": "Serving", "Realisation": "Realization", "Specialisation": "Specialization"}
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


@dataclass
class _Relationship:
    id: str
    type: str
    source: str
    target: str
    line: int | None
    name: str = ""


def _parse(name: str, data: bytes) -> tuple[ET.Element | None, dict[int, int], list[Problem]]:
    """Parse safely; return the root, element line numbers by ``id(element)``, and problems."""
    lines: dict[int, int] = {}
    holder: dict[str, DefusedXMLParser] = {}

    def make(tag, attrs):
        el = ET.Element(tag, attrs)
        lines[id(el)] = holder["p"].parser.CurrentLineNumber
        return el

    parser = DefusedXMLParser(target=ET.TreeBuilder(element_factory=make), forbid_dtd=True,
                              forbid_entities=True, forbid_external=True)
    holder["p"] = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        return None, lines, [Problem(
            "unsafe-xml", name, None, None, type(exc).__name__,
            "The file declares a DTD or entities (<!DOCTYPE ...>, <!ENTITY ...>); it was refused for safety: such "
            "declarations can expand into gigabytes (\"billion laughs\") or read files from this computer.",
            "ArchiMate exchange files never need them: export the model again from Archi or BiZZdesign "
            "(in Archi: File > Export > Model to Open Exchange File).")]
    except (LookupError, UnicodeError, ValueError) as exc:  # an encoding= the parser does not know
        return None, lines, [Problem("unreadable-source", name, 1, None, None,
                                     f"The file cannot be decoded ({_first_line_of(exc)}).",
                                     'Export the model again as an Open Exchange File; it is written as encoding="UTF-8".')]
    except RecursionError:
        return None, lines, [Problem("unreadable-source", name, None, None, None,
                                     "The XML is nested too deeply to read.", "Export the model again as an Open Exchange File.")]
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        return None, lines, [Problem("unreadable-source", name, line, None, None,
                                     f"The file is not well-formed XML ({exc}).",
                                     "Export the model again as an Open Exchange File.")]
    return root, lines, []


def _first_line_of(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text_of(el: ET.Element, ns: str, lang: str) -> str:
    """The element's name (ArchiMate 3 ``name``, 2.1 ``label``) in ``lang`` if given, else the first."""
    names = el.findall(f"{{{ns}}}name") or el.findall(f"{{{ns}}}label")
    if not names:
        return ""
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    best = next((n for n in names if n.get(xml_lang) == lang), names[0])
    return " ".join((best.text or "").split())


def read_archimate(name: str, data: bytes, *, lang: str = "en", mapping: dict | None = None) -> Conversion:
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
    Conversion
        Canonical tables, and every element and relationship that was not
        imported (rules ``unmapped-element``, ``unmapped-relationship``).
    """
    d = Draft(name)
    lim = limits()
    if len(data) > lim.max_bytes:
        d.problems.append(too_large(name, f"The file is {len(data):,} bytes, over the limit of {lim.megabytes()}", lim))
        return Conversion.from_draft(d, "archimate")
    root, lines, problems = _parse(name, data)
    d.problems.extend(problems)
    if root is None:
        return Conversion.from_draft(d, "archimate")
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if _local(root.tag) != "model" or not ns.startswith(ARCHIMATE_NS):
        d.problems.append(Problem("unreadable-source", name, lines.get(id(root)), None, _local(root.tag),
                                  "This is not an ArchiMate Model Exchange File (its root is not an ArchiMate <model>).",
                                  "Export the model from Archi or BiZZdesign as an Open Exchange File (.xml)."))
        return Conversion.from_draft(d, "archimate")
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731

    prop_names: dict[str, str] = {}
    for pd in root.iter(q("propertyDefinition")):
        prop_names[pd.get("identifier", "")] = _text_of(pd, ns, lang) or pd.get("name", "")
    for pd in root.iter(q("propertydef")):  # ArchiMate 2.1
        prop_names[pd.get("identifier", "")] = pd.get("name", "")

    elements: dict[str, _Element] = {}
    container = root.find(q("elements"))
    for el in (container if container is not None else []):
        etype = (el.get(XSI_TYPE) or "").split(":")[-1]
        if etype == "Junction" and (el.get("type") or "").lower() == "or":
            etype = "OrJunction"
        e = _Element(el.get("identifier", ""), etype, _text_of(el, ns, lang), lines.get(id(el)))
        for p in el.iter(q("property")):
            ref = p.get("propertyDefinitionRef") or p.get("identifierref") or p.get("identifierRef") or ""
            values = p.findall(q("value"))
            value = " ".join((values[0].text or "").split()) if values else ""
            e.props.append((prop_names.get(ref, ref), value))
        e.kind = ELEMENT_KINDS.get(etype)
        if e.id in elements:
            first = elements[e.id]
            d.problems.append(Problem("duplicate-id", name, e.line, "element", e.id,
                                      f'{_label(e)} has the identifier of {_label(first)} on line {first.line}; '
                                      "only the first was imported.",
                                      "Give every element its own identifier (export the model again from Archi or BiZZdesign)."))
            continue
        elements[e.id] = e

    rels: list[_Relationship] = []
    container = root.find(q("relationships"))
    for r in (container if container is not None else []):
        rtype = (r.get(XSI_TYPE) or "").split(":")[-1]
        if not rtype:
            d.problems.append(Problem("unmapped-relationship", name, lines.get(id(r)), "relationship", r.get("identifier", ""),
                                      f'The relationship {r.get("identifier", "")} ({r.get("source", "")} → {r.get("target", "")}) '
                                      "has no type (xsi:type); it was not imported.",
                                      'Give it a type such as xsi:type="Serving", or export the model again.'))
            continue
        rels.append(_Relationship(r.get("identifier", ""), _RELATIONSHIP_ALIASES.get(rtype, rtype),
                                  r.get("source", ""), r.get("target", ""), lines.get(id(r)), _text_of(r, ns, lang)))

    mark_deployables(elements, rels)  # an Artifact that deploys software is a system, not data
    props = root.find(q("properties"))
    model_props = [(prop_names.get(p.get("propertyDefinitionRef") or p.get("identifierref") or "", ""),
                    " ".join((p.findtext(q("value")) or "").split())) for p in (props if props is not None else [])]
    roles = _decide_actors(d, elements, rels, _text_of(root, ns, lang), model_props, mapping)
    conv = RowConverter(d, lang)
    for e in elements.values():
        _add_element(d, conv, e)
    place_locations(d, elements.values())  # a location named after a country lies in it
    apply_roles(d, elements, roles)
    conv.mark_derived()  # processes whose criticality was derived get criticality_source
    _add_relationships(d, elements, rels)
    out = Conversion.from_draft(d, "archimate")
    out.actors = list(roles.values())
    return out


def _label(e: _Element) -> str:
    return f'{e.type} "{e.name}" ({e.id})' if e.name else f"{e.type} {e.id}"


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
    by_id = {r.id: r for r in rels}
    into: dict[str, list[_Relationship]] = defaultdict(list)
    out_of: dict[str, list[_Relationship]] = defaultdict(list)
    for r in rels:
        if elements.get(r.target) and elements[r.target].kind == "junction":
            into[r.target].append(r)
        if elements.get(r.source) and elements[r.source].kind == "junction":
            out_of[r.source].append(r)

    def report(r: _Relationship, why: str, hint: str = "") -> None:
        s, t = elements.get(r.source), elements.get(r.target)
        ends = f"{_label(s) if s else r.source} → {_label(t) if t else r.target}"
        d.problems.append(Problem("unmapped-relationship", d.source, r.line, "relationship", r.id,
                                  f"{r.type} {ends} was not imported: {why}.", hint))

    def link(r: _Relationship, s: _Element, t: _Element, rtype: str, group: str | None = None) -> tuple | None:
        if s.node is None or t.node is None:
            missing = s if s.node is None else t
            report(r, f"{_label(missing)} is not imported itself")
            return None
        if rtype in _NOT_DEPENDENCY:
            report(r, f"{with_article(rtype)} orders work or passes information; it does not make one depend on the other")
            return None
        oriented = _orient(rtype, s, t)
        if oriented is None:
            report(r, f"sovmap reads no dependency from {with_article(rtype)} between {with_article(s.kind)} and {with_article(t.kind)}")
            return None
        return oriented

    # Direct relationships.
    for r in rels:
        s, t = elements.get(r.source), elements.get(r.target)
        if s is None or t is None:
            if r.source in by_id or r.target in by_id:
                report(r, "it connects to another relationship, which sovmap does not read")
            else:
                report(r, "its source or target is not an element of the model")
            continue
        if s.kind == "junction" or t.kind == "junction":
            continue
        oriented = link(r, s, t, r.type)
        if oriented is None:
            continue
        dep, need, rel = oriented
        if not d.link(dep.node, need.node, rel, line=r.line):
            report(r, f"the inventory has no relation from {with_article(dep.kind)} to {with_article(need.kind)}")

    # Relationships through junctions: join each incoming leg with each outgoing leg.
    def ends(junction: str, direction: str) -> list[tuple[_Relationship, _Element]]:
        """The elements reached from a junction through chains of junctions (without recursion: chains may be long)."""
        out, seen, todo = [], {junction}, [junction]
        while todo:
            j = todo.pop()
            for r in (into[j] if direction == "in" else out_of[j]):
                other = elements.get(r.source if direction == "in" else r.target)
                if other is None:
                    report(r, "its source or target is not an element of the model")
                elif other.kind == "junction":
                    if other.id not in seen:
                        seen.add(other.id)
                        todo.append(other.id)
                else:
                    out.append((r, other))
        return out

    for j in (e for e in elements.values() if e.kind == "junction"):
        if any(elements.get(r.source) and elements[r.source].kind == "junction" for r in into[j.id]):
            continue  # reached from the first junction of the chain
        groups: dict[str, list[tuple[_Relationship, _Element, str | None]]] = defaultdict(list)
        sources, targets = ends(j.id, "in"), ends(j.id, "out")
        if not sources or not targets:
            for r, _ in sources + targets:
                report(r, f"the junction {j.id} has no relationship on its other side")
            continue
        for r_in, s in sources:
            for r_out, t in targets:
                if r_in.type != r_out.type:
                    report(r_out, f"it leaves junction {j.id} as {with_article(r_out.type)} but {r_in.id} enters it as {with_article(r_in.type)}")
                    continue
                oriented = link(r_out, s, t, r_in.type)
                if oriented:
                    dep, need, rel = oriented
                    groups[dep.node].append((r_out, need, rel))
        is_or = j.type == "OrJunction"
        for dep_node, needs in groups.items():
            unique = {n.node: (r, n, rel) for r, n, rel in needs}
            group = f"or-{j.id}" if is_or and len(unique) > 1 else None
            for r, need, rel in unique.values():
                if not d.link(dep_node, need.node, rel, group=group, min_required=1 if group else None, line=r.line):
                    report(r, f"the inventory has no relation from {with_article(d.kind_of(dep_node))} to {with_article(need.kind)}")
