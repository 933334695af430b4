"""The sovmap vocabulary, read once from ``sovmap.ttl``.

Every list of kinds, relations, inventory columns and accepted values in the
code comes from here; nothing is repeated in Python.

Examples
--------
>>> v = vocabulary()
>>> v.kind("system").files
('systems', 'systemen')
>>> v.relation("provided_by").propagates
True
>>> v.enum("criticality").parse("Vitaal").id
'vital'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

__all__ = [
    "SOV",
    "NODE_BASE",
    "Column",
    "EnumValue",
    "Enumeration",
    "Kind",
    "Relation",
    "Vocabulary",
    "vocabulary",
    "ontology_graph",
    "normalise_token",
]

SOV = Namespace("https://w3id.org/sovmap/ns#")
SDO = Namespace("https://schema.org/")
NODE_BASE = "https://w3id.org/sovmap/id/"
DEPENDENCY = "dependency"


def normalise_token(text: str) -> str:
    """Fold a header or value for comparison: trimmed, lower case, ``_`` for spaces.

    >>> normalise_token("  Min Required ")
    'min_required'
    """
    return "_".join(str(text).strip().lower().replace("-", " ").split()) if text is not None else ""


@dataclass(frozen=True, eq=False)
class EnumValue:
    id: str
    iri: URIRef
    labels: dict[str, str]
    aliases: tuple[str, ...]
    rank: int

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.id


@dataclass(frozen=True, eq=False)
class Enumeration:
    id: str
    iri: URIRef
    values: tuple[EnumValue, ...]
    _index: dict[str, EnumValue] = field(repr=False, compare=False, default_factory=dict)

    def parse(self, text: str) -> EnumValue | None:
        """Return the value that ``text`` names (any language, any case), or None."""
        return self._index.get(normalise_token(text))

    def get(self, value_id: str) -> EnumValue:
        for v in self.values:
            if v.id == value_id:
                return v
        raise KeyError(value_id)

    def accepted(self) -> list[str]:
        return [v.id for v in self.values]


@dataclass(frozen=True, eq=False)
class Column:
    """One column of an inventory file."""

    key: str  # canonical English header, also the record key
    aliases: tuple[str, ...]  # every accepted header, canonical first
    iri: URIRef
    labels: dict[str, str]
    required: bool = False
    relation: str | None = None  # relation id when the column holds a reference
    enum: str | None = None  # enumeration id when the column holds a listed value
    country: bool = False  # the column holds a country (code or name)
    country_relation: str | None = None  # for a country column: the relation to the country node (registered_in, ...)
    integer: bool = False
    nl_header: str = ""
    order: int = 99
    cell_format: str | None = None  # date, months, country, region or id_list (sov:cellFormat)

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.key

    def header(self, lang: str = "en") -> str:
        """The header written in an inventory file in ``lang`` (``en`` or ``nl``)."""
        return self.nl_header if lang == "nl" else self.key


@dataclass(frozen=True, eq=False)
class Kind:
    id: str
    iri: URIRef
    labels: dict[str, str]
    neo4j_label: str
    order: int
    files: tuple[str, ...]  # canonical file name first, then aliases (no .csv)
    columns: tuple[Column, ...]

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.id

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass(frozen=True, eq=False)
class Relation:
    id: str
    iri: URIRef
    labels: dict[str, str]
    aliases: tuple[str, ...]  # accepted values in the dependencies file's type column
    neo4j_type: str
    propagates: bool
    dependency_type: bool
    domain: tuple[str, ...]
    range: tuple[str, ...]
    implied: tuple[tuple[str, str], ...]

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.id


@dataclass(frozen=True, eq=False)
class Vocabulary:
    kinds: tuple[Kind, ...]
    relations: tuple[Relation, ...]
    enums: dict[str, Enumeration]
    dependency_columns: tuple[Column, ...]
    dependency_files: tuple[str, ...]

    def kind(self, kind_id: str) -> Kind:
        for k in self.kinds:
            if k.id == kind_id:
                return k
        raise KeyError(kind_id)

    def relation(self, relation_id: str) -> Relation:
        for r in self.relations:
            if r.id == relation_id:
                return r
        raise KeyError(relation_id)

    def enum(self, enum_id: str) -> Enumeration:
        return self.enums[enum_id]

    @property
    def file_kinds(self) -> tuple[Kind, ...]:
        """Kinds that have an inventory file, in load order."""
        return tuple(k for k in self.kinds if k.files)

    def parse_relation(self, text: str) -> Relation | None:
        token = normalise_token(text)
        for r in self.relations:
            if r.dependency_type and token in r.aliases:
                return r
        return None

    def implied_relation(self, from_kind: str, to_kind: str) -> Relation | None:
        for r in self.relations:
            if (from_kind, to_kind) in r.implied:
                return r
        return None

    def country_relations(self) -> tuple[Relation, ...]:
        """Relations from a party or place to a country node (registered_in, headquartered_in, ...)."""
        return tuple(r for r in self.relations if r.range == ("country",))

    def propagating(self) -> frozenset[str]:
        return frozenset(r.id for r in self.relations if r.propagates)


@cache
def ontology_graph() -> Graph:
    """The ontology as an rdflib graph (parsed once)."""
    g = Graph()
    text = resources.files("sovmap.ontology").joinpath("sovmap.ttl").read_text("utf-8")
    g.parse(data=text, format="turtle")
    return g


def _labels(g: Graph, s: URIRef, p: URIRef = RDFS.label) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in g.objects(s, p):
        if isinstance(o, Literal) and o.language and o.language not in out:
            out[o.language] = str(o)
    return out


def _ordered_literals(g: Graph, s: URIRef, p: URIRef) -> tuple[str, ...]:
    """Literals of ``s p``: English first, then the others, sorted, de-duplicated."""
    lits = [o for o in g.objects(s, p) if isinstance(o, Literal)]
    lits.sort(key=lambda o: (o.language != "en", str(o)))
    seen: list[str] = []
    for o in lits:
        t = normalise_token(str(o))
        if t not in seen:
            seen.append(t)
    return tuple(seen)


def _one(g: Graph, s: URIRef, p: URIRef):
    return next(iter(g.objects(s, p)), None)


@cache
def vocabulary() -> Vocabulary:
    """Read kinds, relations, columns and value lists from the ontology."""
    g = ontology_graph()
    kind_of_iri: dict[URIRef, str] = {}
    for s in g.subjects(SOV.kindId, None):
        kind_of_iri[s] = str(_one(g, s, SOV.kindId))
    kind_of_iri[SOV.Dependency] = DEPENDENCY

    enums: dict[str, Enumeration] = {}
    for prop in g.subjects(SOV.enumeration, None):
        enum_id = str(_one(g, prop, SOV.enumeration))
        cls = _one(g, prop, RDFS.range)
        values = []
        index: dict[str, EnumValue] = {}
        for member in g.subjects(RDF.type, cls):
            labels = _labels(g, member)
            aliases = tuple(
                dict.fromkeys(
                    [normalise_token(str(_one(g, member, SKOS.notation)))]
                    + [normalise_token(x) for x in labels.values()]
                    + list(_ordered_literals(g, member, SKOS.altLabel))
                )
            )
            ev = EnumValue(
                id=str(_one(g, member, SKOS.notation)),
                iri=member,
                labels=labels,
                aliases=aliases,
                rank=int(_one(g, member, SOV.rank)),
            )
            values.append(ev)
        values.sort(key=lambda v: -v.rank if enum_id in ("criticality", "classification", "personal_data") else v.rank)
        for ev in values:
            for a in ev.aliases:
                index.setdefault(a, ev)
        enums[enum_id] = Enumeration(enum_id, cls, tuple(values), index)

    relations = []
    columns_by_kind: dict[str, list[Column]] = {k: [] for k in kind_of_iri.values()}
    for prop in g.subjects(SOV.relationId, None):
        rid = str(_one(g, prop, SOV.relationId))
        implied = []
        for b in g.objects(prop, SOV.impliedBetween):
            implied.append((kind_of_iri[_one(g, b, SOV["from"])], kind_of_iri[_one(g, b, SOV.to)]))
        range_ = tuple(sorted(kind_of_iri[o] for o in g.objects(prop, SDO.rangeIncludes)))
        relations.append(
            Relation(
                id=rid,
                iri=prop,
                labels=_labels(g, prop),
                aliases=tuple(dict.fromkeys([rid] + list(_ordered_literals(g, prop, SKOS.altLabel)))),
                neo4j_type=str(_one(g, prop, SOV.neo4jLabel)),
                propagates=bool(_one(g, prop, SOV.propagatesFailure).toPython()),
                dependency_type=bool(_one(g, prop, SOV.dependencyType).toPython()),
                domain=tuple(sorted(kind_of_iri[o] for o in g.objects(prop, SDO.domainIncludes))),
                range=range_,
                implied=tuple(sorted(implied)),
            )
        )
    relations.sort(key=lambda r: r.id)

    # Columns: every property with sov:column, attached to the kinds it is used in.
    for prop in set(g.subjects(SOV.column, None)):
        headers = _ordered_literals(g, prop, SOV.column) + _ordered_literals(g, prop, SOV.columnAlias)
        headers = tuple(dict.fromkeys(headers))
        rid = _one(g, prop, SOV.relationId)
        rng = _one(g, prop, RDFS.range)
        rel = next((r for r in relations if r.id == str(rid)), None) if rid else None
        col = Column(
            key=headers[0],
            aliases=headers,
            iri=prop,
            labels=_labels(g, prop),
            required=bool(_one(g, prop, SOV.required)),
            relation=rel.id if rel and rel.range != ("country",) else None,
            enum=str(_one(g, prop, SOV.enumeration)) if _one(g, prop, SOV.enumeration) else None,
            country=bool(rel and rel.range == ("country",)),
            country_relation=rel.id if rel and rel.range == ("country",) else None,
            integer=rng == URIRef("http://www.w3.org/2001/XMLSchema#integer"),
            nl_header=next(str(o) for o in g.objects(prop, SOV.column) if o.language == "nl"),
            order=int(_one(g, prop, SOV.order)),
            cell_format=str(_one(g, prop, SOV.cellFormat)) if _one(g, prop, SOV.cellFormat) else None,
        )
        for k in g.objects(prop, SOV.columnIn):
            columns_by_kind[kind_of_iri[k]].append(col)

    def col_order(c: Column) -> tuple[int, str]:
        return (c.order, c.key)

    kinds = []
    for iri, kid in kind_of_iri.items():
        if kid == DEPENDENCY:
            continue
        kinds.append(
            Kind(
                id=kid,
                iri=iri,
                labels=_labels(g, iri),
                neo4j_label=str(_one(g, iri, SOV.neo4jLabel)),
                order=int(_one(g, iri, SOV.order)),
                files=_ordered_literals(g, iri, SOV.fileName),
                columns=tuple(sorted(columns_by_kind[kid], key=col_order)),
            )
        )
    kinds.sort(key=lambda k: k.order)
    return Vocabulary(
        kinds=tuple(kinds),
        relations=tuple(relations),
        enums=enums,
        dependency_columns=tuple(sorted(columns_by_kind[DEPENDENCY], key=col_order)),
        dependency_files=_ordered_literals(g, SOV.Dependency, SOV.fileName),
    )
