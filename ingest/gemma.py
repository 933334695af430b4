"""GEMMA Softwarecatalogus data (VNG Realisatie's catalogue API, JSON) as a canonical inventory.

The Softwarecatalogus records which organisations use which software
(*voorzieningen*), who offers it (*voorzieningaanbiedingen* by
*leveranciersorganisaties*, with their *hostingopties*) and, per use
(*gebruik*), its BIV classification and whether it is business-critical.
:func:`read_gemma` turns the API's JSON into the canonical inventory tables,
validated like any inventory.

Input
    One JSON file holding the collections as keys (``leveranciersorganisaties``,
    ``voorzieningen``, ``voorzieningaanbiedingen``, ``voorzieningversies``,
    ``contracten``, ``gebruik``), or one file per collection as the API returns
    them (a JSON array, or ``{"results": [...]}``), named after the collection
    or recognised by its fields. ``gebruik`` may also sit inside an
    organisation (``Leveranciersorganisatie.gebruik``).

What becomes what
    ==========================================  ==========================================================
    Softwarecatalogus                           inventory
    ==========================================  ==========================================================
    organisation that uses software (it is the  organisation (``type``/``organisatietype`` → type,
    ``organisatieId`` of a gebruik, has an      ``adres.land`` → country, ``kvkNummer`` and ``oidn`` kept)
    ``oidn``, or its type is a government body)
    organisation that offers software           supplier (``adres.land`` → country, ``kvkNummer`` kept)
    ``moederOrganisatie``                       ``parent_id`` (owner of a supplier, parent of an organisation)
    gebruik (status Actief or none)             a system named after the voorziening, belonging to the user
    aanbod used (by contract, or the only one)  by its ``type``: (door)ontwikkeling (or none) → supplier
                                                (``provided_by``); Beheer → operator (``operated_by``);
                                                Hosting → the operator of a location "Datacenter <party>"
    ``hostingopties``                           the system's type when there is one option (kept in full)
    ``bedrijfsKritisch`` / bivClassificatie B   criticality of a stand-in process: true → high, else from B
                                                (Hoog → high, Midden → medium, Laag → low), marked as
                                                derived in ``criticality_source``
    bivClassificatie V, ``bbnScore``            classification of a stand-in data set: the higher of V
                                                (Laag → internal, Midden → confidential, Hoog → secret) and
                                                BBN (1 → internal, 2 → confidential, 3 → secret)
    ``privacyGevoelig``                         personal data of that data set: true → personal, false → none
    ==========================================  ==========================================================

    Stand-in processes and data sets are named as in flat lists
    (:mod:`sovmap.ingest.flatlist`). Uses with status Gepland or Beëindigd,
    offers of only Implementatie, Migratie or Consultancy, and software that
    several suppliers offer without a contract saying which one is used are
    reported, not guessed. Contact persons (``beheerder``,
    ``contactgegevens``, ``contactpersoon*``) are personal data and are never
    imported. Organisations and software no organisation in the file uses are
    counted in one report line.

Examples
--------
>>> import json
>>> doc = {"leveranciersorganisaties": [
...     {"id": "o1", "naam": "Gemeente Voorbeeldstad", "type": "Gemeente"},
...     {"id": "l1", "naam": "Centric Netherlands B.V.", "type": "Leverancier", "adres": {"land": "Nederland"}}],
...   "voorzieningen": [{"id": "v1", "naam": "Key2Burgerzaken", "beschrijving": "Burgerzaken"}],
...   "voorzieningaanbiedingen": [{"id": "a1", "naam": "Key2", "omschrijving": "", "type": ["(door)ontwikkeling"],
...                                "voorzieningId": "v1", "organisatieId": "l1", "hostingopties": ["SaaS"]}],
...   "gebruik": [{"id": "g1", "organisatieId": "o1", "voorzieningId": "v1", "status": "Actief",
...                "bedrijfsKritisch": True, "bivClassificatie": {"vertrouwelijkheid": "Midden"}}]}
>>> inv, problems = read_gemma([("catalogus.json", json.dumps(doc).encode())]).load()
>>> sorted((e.source, e.relation, e.target) for e in inv.edges if e.relation != "registered_in")
[('D-KEY2BURGERZAKEN', 'belongs_to', 'ORG-GEMEENTE-VOORBEELDSTAD'), ('D-KEY2BURGERZAKEN', 'stored_in', 'SYS-KEY2BURGERZAKEN'), ('P-KEY2BURGERZAKEN', 'belongs_to', 'ORG-GEMEENTE-VOORBEELDSTAD'), ('P-KEY2BURGERZAKEN', 'uses', 'SYS-KEY2BURGERZAKEN'), ('SYS-KEY2BURGERZAKEN', 'belongs_to', 'ORG-GEMEENTE-VOORBEELDSTAD'), ('SYS-KEY2BURGERZAKEN', 'provided_by', 'S-CENTRIC-NETHERLANDS')]
>>> inv.nodes["P-KEY2BURGERZAKEN"].attrs["criticality"], inv.nodes["D-KEY2BURGERZAKEN"].attrs["classification"]
('high', 'confidential')
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import PurePosixPath

from sovmap.ontology.countries import parse_country
from sovmap.ontology.vocab import vocabulary

from .biv import CLASS_BY_BBN, CLASS_BY_V, level
from .draft import Conversion, Draft
from .names import fold_text
from .problems import Problem, with_article
from .read import limits, too_large
from .flatlist import Row, RowConverter

__all__ = ["COLLECTIONS", "read_gemma", "looks_like_gemma"]

#: Collections read, with the other names a file or key may have.
COLLECTIONS: dict[str, tuple[str, ...]] = {
    "leveranciersorganisaties": ("leveranciersorganisatie", "organisaties", "organisations"),
    "voorzieningen": ("voorziening", "pakketten", "producten"),
    "voorzieningaanbiedingen": ("voorzieningaanbieding", "voorzieningaanbod", "aanbiedingen", "aanbod"),
    "voorzieningversies": ("voorzieningversie", "versies"),
    "contracten": ("contract", "contracts"),
    "gebruik": ("voorzieninggebruik", "gebruiken", "voorzieninggebruiken"),
}
_GOVERNMENT = {"gemeente", "provincie", "waterschap", "ministerie", "overheid", "overheidsorganisatie",
               "uitvoeringsorganisatie", "samenwerkingsverband", "gemeenschappelijke regeling", "zbo"}
_DEVELOP, _OPERATE, _HOST = "(door)ontwikkeling", "beheer", "hosting"


def _collection_of(name: str) -> str | None:
    token = fold_text(PurePosixPath(name).stem).replace(" ", "")
    for coll, aliases in COLLECTIONS.items():
        if token == coll or token in aliases:
            return coll
    return None


def _guess_collection(items: list) -> str | None:
    """The collection a bare array holds, from the fields of its first item."""
    first = next((x for x in items if isinstance(x, dict)), None)
    if first is None:
        return None
    keys = set(first)
    if {"voorzieningAanbod", "voorzieningGebruik"} <= keys:
        return "contracten"
    if "voorzieningaanbodId" in keys:
        return "voorzieningversies"
    if "hostingopties" in keys or ({"voorzieningId", "organisatieId"} <= keys and isinstance(first.get("type"), list)):
        return "voorzieningaanbiedingen"
    if {"voorzieningId", "organisatieId"} <= keys:
        return "gebruik"
    if keys & {"kvkNummer", "moederOrganisatie", "oidn", "adres"}:
        return "leveranciersorganisaties"
    if {"naam", "beschrijving"} <= keys:
        return "voorzieningen"
    return None


def looks_like_gemma(data: bytes) -> bool:
    """Whether a JSON file holds Softwarecatalogus collections (for detecting the source type).

    >>> looks_like_gemma(b'{"voorzieningen": []}'), looks_like_gemma(b'[{"id": 1}]'), looks_like_gemma(b'no json')
    (True, False, False)
    """
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    if isinstance(doc, dict):
        if any(_collection_of(k) for k in doc):
            return True
        doc = doc.get("results")
    return isinstance(doc, list) and _guess_collection(doc) is not None


_TEXT, _SCALAR, _LIST, _OBJECT = "text", "text or number", "list of texts", "object"
#: The fields read from each collection and the JSON type each must have; a field of another type is reported
#: and not used (and an object's fields are checked the same way).
_SCHEMA: dict[str, dict[str, str]] = {
    "leveranciersorganisaties": {"id": _SCALAR, "naam": _SCALAR, "type": _TEXT, "organisatietype": _TEXT,
                                 "adres": _OBJECT, "oidn": _SCALAR, "kvkNummer": _SCALAR, "moederOrganisatie": _SCALAR},
    "voorzieningen": {"id": _SCALAR, "naam": _SCALAR},
    "voorzieningaanbiedingen": {"id": _SCALAR, "voorzieningId": _SCALAR, "organisatieId": _SCALAR, "type": _LIST,
                                "hostingopties": _LIST},
    "voorzieningversies": {"id": _SCALAR, "voorzieningaanbodId": _SCALAR, "nummer": _SCALAR},
    "contracten": {"voorzieningGebruik": _OBJECT, "voorzieningAanbod": _OBJECT, "id": _SCALAR, "naam": _SCALAR,
                   "contractnummer": _SCALAR},
    "gebruik": {"id": _SCALAR, "organisatieId": _SCALAR, "voorzieningId": _SCALAR, "versieId": _SCALAR,
                "status": _TEXT, "bivClassificatie": _OBJECT, "ibpScore": _SCALAR},
}
_INNER = {"adres": {"land": _TEXT}, "voorzieningGebruik": {"id": _SCALAR}, "voorzieningAanbod": {"id": _SCALAR},
          "bivClassificatie": {"beschikbaarheid": _TEXT, "integriteit": _TEXT, "vertrouwelijkheid": _TEXT}}


#: A contract's own fields, where the data has them (the catalogue documents a contract only as the link of a
#: use to an offer): inventory column → the names read, first found wins. Dates, months and countries are
#: checked when the inventory is loaded; true/false become the column's yes/no value.
_CONTRACT_FIELDS: dict[str, tuple[str, ...]] = {
    "start_date": ("begindatum", "startdatum", "ingangsdatum"),
    "end_date": ("einddatum", "einddatumContract"),
    "notice_period": ("opzegtermijn",),
    "renewal": ("verlenging", "stilzwijgendVerlengen", "automatischVerlengen"),
    "change_of_control": ("changeOfControl", "wijzigingZeggenschap"),
    "data_return": ("teruglevering", "terugleveringGegevens", "exitclausule"),
    "governing_law": ("toepasselijkRecht",),
    "court": ("bevoegdeRechter",),
    "data_location": ("gegevenslocatie", "dataLocatie"),
    "escrow": ("escrow",),
}
_BOOLEAN_AS = {"renewal": ("automatic", "manual")}


def _contract_value(column: str, value) -> str | None:
    """A contract field's value as inventory text: true/false as yes/no (automatic/manual for renewal).

    >>> _contract_value("renewal", True), _contract_value("escrow", False), _contract_value("notice_period", 6)
    ('automatic', 'no', '6')
    """
    if isinstance(value, bool):
        yes, no = _BOOLEAN_AS.get(column, ("yes", "no"))
        return yes if value else no
    if isinstance(value, (int, float)) and column == "notice_period":
        return str(int(value))
    return value.strip() if isinstance(value, str) and value.strip() else None


def _fits(value, kind: str) -> bool:
    if value is None:
        return True
    if kind == _TEXT:
        return isinstance(value, str)
    if kind == _SCALAR:
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    if kind == _LIST:
        return isinstance(value, list) and all(isinstance(x, str) for x in value)
    return isinstance(value, dict)


def _checked(coll: str, item: dict, where: str, source: str, problems: list[Problem]) -> dict:
    """A copy of ``item`` without the fields whose JSON type is not the one read (each reported)."""
    out = dict(item)
    for key, kind in _SCHEMA.get(coll, {}).items():
        value = out.get(key)
        if kind == _LIST and isinstance(value, str):
            out[key] = value = [value]  # one value where the API gives a list
        if not _fits(value, kind):
            problems.append(_wrong_type(source, f"{where}.{key}", value, kind))
            out.pop(key)
        elif kind == _OBJECT and value is not None:
            inner = dict(value)
            for k, inner_kind in _INNER.get(key, {}).items():
                if not _fits(inner.get(k), inner_kind):
                    problems.append(_wrong_type(source, f"{where}.{key}.{k}", inner.get(k), inner_kind))
                    inner.pop(k)
            out[key] = inner
    return out


def _wrong_type(source: str, where: str, value, kind: str) -> Problem:
    shown = json.dumps(value, ensure_ascii=False, default=str)
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    found = {dict: "an object", list: "a list", bool: "true/false", str: "a text"}.get(type(value), "a number")
    return Problem("unmapped-value", source, None, where, shown,
                   f"{where} should be {with_article(kind)} but is {found}; it was not used.",
                   "Save the catalogue API's answer as it is, without editing it.")


def _load(files: list[tuple[str, bytes]], problems: list[Problem]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    lim = limits()
    for name, data in files:
        if len(data) > lim.max_bytes:
            problems.append(too_large(name, f"The file is {len(data):,} bytes, over the limit of {lim.megabytes()}", lim))
            continue
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except RecursionError:
            problems.append(Problem("unreadable-source", name, None, None, None, "The JSON is nested too deeply to read.",
                                    "Save the catalogue API's answer as it is, without editing it."))
            continue
        except (ValueError, UnicodeDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            problems.append(Problem("unreadable-source", name, line, None, None, f"The file is not valid JSON ({exc}).",
                                    "Save the catalogue API's answer as it is, without editing it."))
            continue
        found = False
        if isinstance(doc, dict):
            for key, value in doc.items():
                coll = _collection_of(key)
                if coll and isinstance(value, list):
                    out[coll].extend(x for x in value if isinstance(x, dict))
                    found = True
            if not found and isinstance(doc.get("results"), list):
                doc = doc["results"]
        if isinstance(doc, list):
            coll = _collection_of(name) or _guess_collection(doc)
            if coll:
                out[coll].extend(x for x in doc if isinstance(x, dict))
                found = True
        if not found:
            problems.append(Problem("unreadable-source", name, None, None, None,
                                    "This JSON holds none of the Softwarecatalogus collections.",
                                    "Expected " + ", ".join(COLLECTIONS) + " (as keys, or one file per collection)."))
    for org in out.get("leveranciersorganisaties", []):
        inner = org.get("gebruik")
        for g in (inner if isinstance(inner, list) else []):
            if isinstance(g, dict):
                out["gebruik"].append({"organisatieId": org.get("id"), **g})
    source = files[0][0] if len(files) == 1 else (str(PurePosixPath(files[0][0]).parent) if files else "(gemma)")
    return {coll: _unique(coll, [_checked(coll, x, f"{coll}[{i}]", source, problems) for i, x in enumerate(items)],
                          source, problems)
            for coll, items in out.items()}


def _unique(coll: str, items: list[dict], source: str, problems: list[Problem]) -> list[dict]:
    """The items with the first of each id; a second item with the same id but other fields is reported."""
    seen: dict[str, dict] = {}
    out = []
    for i, x in enumerate(items):
        key = x.get("id")
        if key is None:
            out.append(x)
            continue
        first = seen.get(str(key))
        if first is None:
            seen[str(key)] = x
            out.append(x)
        elif first != x:
            problems.append(Problem("conflicting-value", source, None, f"{coll}[{i}].id", str(key),
                                    f'Two {coll} have the id "{key}" but differ; the first was kept.',
                                    "Give each item its own id, or remove the older copy."))
    return out


def _level(value) -> int | None:
    """A BIV level of the catalogue (Laag, Midden, Hoog), else None."""
    return level(value) if isinstance(value, str) and fold_text(value) in ("laag", "midden", "hoog") else None


def read_gemma(files: list[tuple[str, bytes]], *, lang: str = "en") -> Conversion:
    """Convert Softwarecatalogus JSON (one combined file, or one file per collection) into canonical tables.

    Parameters
    ----------
    files
        ``(name, bytes)`` of the JSON files.
    lang
        ``nl`` or ``en``: the language of stand-in names.

    Returns
    -------
    Conversion
        Canonical tables and every item that could not be mapped.
    """
    source = files[0][0] if len(files) == 1 else (str(PurePosixPath(files[0][0]).parent) if files else "(gemma)")
    d = Draft(source)
    data = _load(files, d.problems)
    if not files or not data:
        if not d.problems:
            d.problems.append(Problem("unreadable-source", source, None, None, None, "No Softwarecatalogus data was given.", ""))
        return Conversion.from_draft(d, "gemma")
    orgs = {str(o.get("id")): o for o in data.get("leveranciersorganisaties", []) if o.get("id") is not None}
    products = {str(p.get("id")): p for p in data.get("voorzieningen", []) if p.get("id") is not None}
    offers = [a for a in data.get("voorzieningaanbiedingen", [])]
    offers_by_id = {str(a.get("id")): a for a in offers}
    versions = {str(v.get("id")): v for v in data.get("voorzieningversies", [])}
    contracts: dict[str, list[str]] = defaultdict(list)
    system_of_use: dict[str, str] = {}  # gebruik id → the system made of it
    for c in data.get("contracten", []):
        g, a = (c.get("voorzieningGebruik") or {}).get("id"), (c.get("voorzieningAanbod") or {}).get("id")
        if g and a:
            contracts[str(g)].append(str(a))
    offers_by_product: dict[str, list[dict]] = defaultdict(list)
    for a in offers:
        offers_by_product[str(a.get("voorzieningId"))].append(a)

    uses = data.get("gebruik", [])
    users = {str(g.get("organisatieId")) for g in uses}
    conv = RowConverter(d, lang)

    def where(coll: str, i: int, fld: str = "") -> str:
        return f"{coll}[{i}]" + (f".{fld}" if fld else "")

    def report(column: str, value, message: str, hint: str = "") -> None:
        d.problems.append(Problem("unmapped-value", d.source, None, column, "" if value is None else str(value), message, hint))

    # Organisations (users and government bodies) and the suppliers actually needed, with their owners.
    kind_of: dict[str, str] = {}
    for oid, o in orgs.items():
        otype = fold_text(o.get("type") or o.get("organisatietype") or "")
        kind_of[oid] = "organisation" if oid in users or o.get("oidn") or otype in _GOVERNMENT else "supplier"
    node_of: dict[str, str] = {}

    def org_node(oid: str) -> str | None:
        if oid in node_of:
            return node_of[oid]
        o = orgs.get(oid)
        if o is None:
            return None
        kind, name = kind_of[oid], str(o.get("naam") or oid)
        key = fold_text(name) if kind == "organisation" else "gemma:" + oid
        node = d.add(kind, name, key=key, gemma_id=oid)
        node_of[oid] = node
        if kind == "supplier":
            conv.known.setdefault(name, node)
        land = (o.get("adres") or {}).get("land")
        if land:
            code = parse_country(land)
            if code is None:
                report(f"leveranciersorganisaties[{oid}].adres.land", land, f'"{land}" is not a known country; it was not used.')
            d.set(node, "country", code)
        if kind == "organisation":
            d.set(node, "type", o.get("type") or o.get("organisatietype"))
            d.set(node, "oidn", o.get("oidn"))
        d.set(node, "kvk", o.get("kvkNummer"))
        if o.get("moederOrganisatie"):
            parents_todo.append(oid)
        return node

    parents_todo: list[str] = []

    def link_parents() -> None:
        """Link each organisation to its parent (a loop, not recursion: ownership chains may be long)."""
        while parents_todo:
            oid = parents_todo.pop()
            o, node = orgs[oid], node_of[oid]
            kind, name, parent = kind_of[oid], str(orgs[oid].get("naam") or oid), o.get("moederOrganisatie")
            pnode = org_node(str(parent))
            if pnode is None:
                report(f"leveranciersorganisaties[{oid}].moederOrganisatie", parent,
                       f'{name}: the parent organisation "{parent}" is not in the data; no parent was filled in.')
            elif d.kind_of(pnode) != kind:
                report(f"leveranciersorganisaties[{oid}].moederOrganisatie", parent,
                       f"{name} is {with_article(kind)} but its parent {d.get(pnode, 'name')} is {with_article(d.kind_of(pnode))}; no parent was filled in.")
            else:
                d.link(node, pnode, "owned_by" if kind == "supplier" else "part_of")

    several_users = len({u for u in users if u in orgs}) > 1
    for i, g in enumerate(uses):
        status = fold_text(g.get("status") or "")
        pid, oid = str(g.get("voorzieningId")), str(g.get("organisatieId"))
        product = products.get(pid)
        pname = str(product.get("naam")) if product else pid
        if status and status != "actief":
            report(where("gebruik", i, "status"), g.get("status"),
                   f'The use of "{pname}" has status {g.get("status")}; only current use (Actief) is imported.')
            continue
        if product is None:
            report(where("gebruik", i, "voorzieningId"), pid, f'The voorziening "{pid}" is not in the data; this use was not imported.',
                   "Include the voorzieningen collection.")
            continue
        org = org_node(oid)
        if org is None:
            report(where("gebruik", i, "organisatieId"), oid, f'The organisation "{oid}" is not in the data; the use of "{pname}" has no organisation.')
        app = f"{pname} ({orgs[oid].get('naam')})" if several_users and org else pname

        # Which offers are used: those under contract (or of the version used), else all offers of the
        # software; per role (supplier, operator, hosting party) one organisation, or it is reported.
        chosen = [offers_by_id[a] for a in contracts.get(str(g.get("id")), []) if a in offers_by_id]
        version = versions.get(str(g.get("versieId")))
        if not chosen and version and str(version.get("voorzieningaanbodId")) in offers_by_id:
            chosen = [offers_by_id[str(version["voorzieningaanbodId"])]]
        if not chosen:
            chosen = offers_by_product.get(pid, [])
        fields: dict[str, tuple[str, str]] = {"application": (where("gebruik", i), app)}
        hosting_options: list[str] = []
        by_role: dict[str, list[tuple[dict, str]]] = defaultdict(list)
        for a in chosen:
            where_a = f"voorzieningaanbiedingen[{a.get('id')}]"
            types = {fold_text(t) for t in (a.get("type") or [])}
            roles = [r for r, t in (("supplier", fold_text(_DEVELOP)), ("operator", _OPERATE), ("hosting_party", _HOST))
                     if t in types] or (["supplier"] if not types else [])
            if not roles:
                provider = (orgs.get(str(a.get("organisatieId"))) or {}).get("naam") or a.get("organisatieId")
                report(where_a + ".type", ", ".join(a.get("type") or []),
                       f'{provider} offers "{pname}" only as {", ".join(a.get("type") or [])}, which does not make the '
                       "system depend on it; it was not imported.")
                continue
            provider = str(a.get("organisatieId"))
            if provider not in orgs:
                report(where_a + ".organisatieId", provider,
                       f'The organisation offering "{pname}" is not in the data; it was not filled in.')
                continue
            hosting_options += [h for h in (a.get("hostingopties") or []) if h not in hosting_options]
            for role in roles:
                if provider not in [p for _, p in by_role[role]]:
                    by_role[role].append((a, provider))
        labels = {"supplier": "supplier", "operator": "operator (Beheer)", "hosting_party": "hosting party (Hosting)"}
        for role, offered in by_role.items():
            if len(offered) == 1:
                a, provider = offered[0]
                fields[role] = (f"voorzieningaanbiedingen[{a.get('id')}]", d.get(org_node(provider), "name"))
            else:
                names = ", ".join(sorted(str(orgs[p].get("naam") or p) for _, p in offered))
                report(where("gebruik", i), pname,
                       f'Several organisations offer "{pname}" as {labels[role]} ({names}) and no contract says which '
                       "one is used; none was filled in.",
                       "Fill it in in the converted inventory, or include the contracten collection.")
        if len(hosting_options) == 1:
            fields["system_type"] = ("hostingopties", hosting_options[0])
        if org:
            fields["organisation"] = (where("gebruik", i, "organisatieId"), d.get(org, "name"))

        biv = g.get("bivClassificatie") or {}
        b, v_ = _level(biv.get("beschikbaarheid")), _level(biv.get("vertrouwelijkheid"))
        bbn = g.get("bbnScore") if isinstance(g.get("bbnScore"), int) and 1 <= g.get("bbnScore") <= 3 else None
        if g.get("bbnScore") is not None and bbn is None:
            report(where("gebruik", i, "bbnScore"), g.get("bbnScore"), "The BBN score is not 1, 2 or 3; it was not used.")
        # Derived, not given: the flat-list converter marks it (criticality_source), as for any list or model.
        if g.get("bedrijfsKritisch") is True:
            fields["business_critical"] = (where("gebruik", i, "bedrijfsKritisch"), "true")
        elif b is not None:
            fields["availability"] = (where("gebruik", i, "bivClassificatie.beschikbaarheid"), str(b))
        ranks = {x.id: x.rank for x in vocabulary().enum("classification").values}
        classes = [c for c in (CLASS_BY_V.get(v_), CLASS_BY_BBN.get(bbn)) if c]
        if classes:
            fields["classification"] = (where("gebruik", i, "bivClassificatie"), max(classes, key=ranks.get))
        if isinstance(g.get("privacyGevoelig"), bool):
            fields["personal_data"] = (where("gebruik", i, "privacyGevoelig"), "personal" if g["privacyGevoelig"] else "none")

        extras = [("gemma_gebruik_id", str(g.get("id") or "")), ("gemma_voorziening_id", pid)]
        if len(hosting_options) > 1:
            extras.append(("hostingopties", ", ".join(hosting_options)))
        if version and version.get("nummer"):
            extras.append(("versie", str(version["nummer"])))
        if biv:
            extras.append(("BIV", "-".join(str(biv.get(k) or "?") for k in ("beschikbaarheid", "integriteit", "vertrouwelijkheid"))))
        if g.get("ibpScore") is not None:
            extras.append(("ibpScore", str(g["ibpScore"])))
        sys_id = conv.row(Row(None, fields, [(k, v) for k, v in extras if v]), key="gemma:" + str(g.get("id") or i))
        if sys_id and g.get("id") is not None:
            system_of_use[str(g.get("id"))] = sys_id

    _contracts(d, data.get("contracten", []), system_of_use, offers_by_id, org_node, report)
    link_parents()
    conv.mark_derived()
    unused_orgs = sum(1 for oid in orgs if oid not in node_of)
    used_products = {str(g.get("voorzieningId")) for g in uses}
    unused_products = sum(1 for p in products if p not in used_products)
    if unused_orgs or unused_products:
        report("(catalogue)", f"{unused_orgs} organisations, {unused_products} voorzieningen",
               f"{unused_orgs} organisation(s) and {unused_products} voorziening(en) in the data are not used by any "
               "organisation in it; they were not imported.",
               "Only what an organisation uses (gebruik) becomes part of the inventory.")
    return Conversion.from_draft(d, "gemma")


def _contracts(d: Draft, items: list[dict], system_of_use: dict[str, str], offers_by_id: dict[str, dict],
               org_node, report) -> None:
    """One contract per item of the ``contracten`` collection whose use was imported: it covers that use's
    system and is with the organisation of its offer; its own fields are read where present."""
    for i, c in enumerate(items):
        use = (c.get("voorzieningGebruik") or {}).get("id")
        sys_id = system_of_use.get(str(use)) if use is not None else None
        if sys_id is None:
            continue  # a contract for a use that was not imported (reported there, or not in the data)
        number = c.get("contractnummer") or c.get("naam") or c.get("id")
        name = str(number) if number is not None else f"Contract {d.get(sys_id, 'name')}"
        node = d.add("contract", name, key="gemma-contract:" + str(c.get("id") if c.get("id") is not None else i))
        d.link(node, sys_id, "covers")
        offer = offers_by_id.get(str((c.get("voorzieningAanbod") or {}).get("id")))
        party = org_node(str(offer.get("organisatieId"))) if offer else None
        if party is not None and d.kind_of(party) == "supplier":
            d.link(node, party, "contracted_from")
        for column, names in _CONTRACT_FIELDS.items():
            found = next((n for n in names if c.get(n) not in (None, "")), None)
            if found is None:
                continue
            value = _contract_value(column, c[found])
            if value is None:
                report(f"contracten[{i}].{found}", json.dumps(c[found], ensure_ascii=False, default=str)[:60],
                       "This contract field is not a text, number or true/false; it was not used.")
                continue
            d.set(node, column, value)
