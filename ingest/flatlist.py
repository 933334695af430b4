"""Flat application lists (one row per application, the user's own column names) as a canonical inventory.

Most organisations already keep an *applicatieoverzicht*: a spreadsheet with
one row per application and columns such as Applicatie, Leverancier,
Hosting, Land, Kritikaliteit, BIV, Persoonsgegevens, Exitplan, Afdeling.
:func:`read_flatlist` recognises those columns, shows how it read them, and
turns the rows into the canonical inventory tables, which are then
validated like any inventory.

How columns are recognised
    Each :data:`FIELDS` entry accepts the English and Dutch labels and headers
    the ontology gives its column (``Column.aliases``, ``rdfs:label``) plus the
    names in ``flatlist_synonyms.yaml``. Names are compared folded (case,
    accents, punctuation and spaces ignored). A column that names no field is
    kept as an extra column of the system and reported; a mapping (from a
    YAML file, see :func:`load_mapping`) corrects or completes the guess.

What a row becomes
    ==========================  ===================================================================
    column (field)              result
    ==========================  ===================================================================
    application                 a system (rows with the same name or id are merged)
    application_id              the system's id (otherwise ``SYS-<NAME>``)
    system_type                 the system's type
    supplier                    a supplier (one per company: ``B.V.``, ``Ltd`` ... ignored), ``provided_by``;
                                a catalogue id (``CAT-...``) is kept as the supplier id
    supplier_country            the supplier's country
    operator                    a supplier that operates the system, ``operated_by``
    hosting                     a hosting model (SaaS, on-premises ..., see the YAML) → the system's type;
                                any other text → the hosting party
    hosting_party               a supplier that operates the system's location
    location                    a location (data centre, cloud region), ``hosted_at``
    location_country            the location's country; with no location column a location
                                "Datacenter <hosting party> (CC)" or "Onbekend datacenter (CC)" is made
    organisation                an organisation (department, owner), ``organisation_id`` of what the row makes
    process                     processes (several separated by ``;``, ``|`` or new lines) that use the system
    dataset                     data sets stored in the system
    criticality                 the criticality of the row's processes (the highest of all rows counts)
    classification              a classification (see BIV/BBN below) of the row's data sets
    availability / integrity /  the B, I and V of a BIV rating in separate columns
    confidentiality
    business_critical           bedrijfskritisch ja/nee: high/low for the row's processes when no criticality
                                is given (see :mod:`sovmap.ingest.criticality`)
    personal_data               the personal-data level of the row's data sets
    data_export, exit_plan,     the system's columns of the same name
    key_control
    contract                    a contract (rows with the same contract number share one) that covers
                                the system, from the row's supplier; without a number but with a
                                contract column below, a stand-in contract "Contract <application>"
    contract_start, contract_   the contract's start_date, end_date, notice_period, renewal,
    end, notice_period, ...     change_of_control, data_return, governing_law, court and escrow
    ==========================  ===================================================================

    Criticality belongs to processes and classification to data sets. A row
    with a criticality but no process gets a stand-in process "Processen die
    <application> gebruiken" ("Processes using <application>"); a row with a
    classification or personal-data level but no data set gets a stand-in data
    set "Gegevens in <application>" ("Data in <application>"). Rename or merge
    them when reviewing.

BIV and BBN
    Read by :func:`sovmap.ingest.biv.parse_biv` (``BBN2``, ``BIV 3-2-2``,
    ``B3 I2 V2`` ...): the classification follows confidentiality, and
    availability sets the criticality only when the row has none of its own;
    such a derived criticality is marked on the process (``criticality_source``).
    The original BIV text stays on the system as an extra column. Anything
    else is reported as unmapped and left empty.

Examples
--------
>>> data = (b"Applicatie;Leverancier;Land;Kritikaliteit;BIV\\r\\n"
...         b"Zaaksysteem;Centric Netherlands B.V.;Nederland;Vitaal;BIV 3-2-2\\r\\n"
...         b"Burgerzaken;centric netherlands bv;NL;hoog;BBN2\\r\\n")
>>> conv = read_flatlist("apps.csv", data, lang="nl")
>>> conv.mapping
[('Applicatie', 'application'), ('Leverancier', 'supplier'), ('Land', 'supplier_country'), ('Kritikaliteit', 'criticality'), ('BIV', 'classification')]
>>> inv, problems = conv.load()
>>> sorted(n.name for n in inv.nodes.values() if n.kind == "supplier")
['Centric Netherlands B.V.']
>>> inv.nodes["P-ZAAKSYSTEEM"].name, inv.nodes["P-ZAAKSYSTEEM"].attrs["criticality"]
('Processen die Zaaksysteem gebruiken', 'vital')
>>> inv.nodes["D-ZAAKSYSTEEM"].attrs["classification"], inv.nodes["SYS-ZAAKSYSTEEM"].attrs["BIV"]
('confidential', 'BIV 3-2-2')
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from sovmap.ontology.countries import parse_country, suggest_country
from sovmap.ontology.vocab import normalise_token, vocabulary

from .biv import CLASS_BY_V, level, parse_biv
from .criticality import DERIVED_MARK, FIELDS_DERIVING, UNREADABLE, Derived, derive, strongest
from .draft import Conversion, Draft
from .names import fold_name, fold_text, legal_form
from .problems import Problem
from .validate import safe_column_name
from .flatlist_fields import (EXTRA, FIELD, FIELDS, IGNORE, Field, field_for, fold_header, hosting_models, map_columns,
                              value_synonyms)
from .flatlist_shape import find_header, first_column, is_transposed, read_grid, transpose

__all__ = ["Field", "FIELDS", "field_for", "map_columns", "read_flatlist", "load_mapping",
           "mapping_yaml", "Row", "RowConverter", "EXTRA", "IGNORE"]

CATALOGUE_ID = re.compile(r"^CAT-[A-Z0-9][A-Z0-9_.-]*$", re.IGNORECASE)

#: The fields that make a contract for the row's system; their cells are checked when the inventory is loaded.
CONTRACT_FIELDS = {"contract_start": "start_date", "contract_end": "end_date", "notice_period": "notice_period",
                   "governing_law": "governing_law", "court": "court"}
CONTRACT_ENUMS = {"renewal": "renewal", "change_of_control": "change_of_control", "data_return": "data_return",
                  "escrow": "escrow"}


_STAND_IN = {
    "process": {"nl": "Processen die {} gebruiken", "en": "Processes using {}"},
    "dataset": {"nl": "Gegevens in {}", "en": "Data in {}"},
    "location": {"nl": "Datacenter {}", "en": "{} data centre"},
    "unknown_location": {"nl": "Onbekend datacenter", "en": "Unknown data centre"},
    "contract": {"nl": "Contract {}", "en": "Contract for {}"},
}


def load_mapping(path: str | Path) -> tuple[dict, list[Problem]]:
    """Read a mapping file (YAML): ``columns: {Column: field}`` and ``values: {field: {text: value}}``.

    For ArchiMate models, ``actors: {name or id: role}`` and ``roles: {value: role}``
    (:func:`sovmap.ingest.archimate_roles.read_role_mapping`).

    Fields are those of :data:`FIELDS`, or ``extra`` (keep as an extra column)
    or ``ignore`` (leave out). Values are the ontology's value ids.
    """
    name = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        return {}, [Problem("bad-mapping", name, None, None, None, f"The mapping file cannot be read ({type(exc).__name__}).",
                            "It is a YAML file such as the one `sovmap convert --save-mapping` writes.")]
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return {}, [Problem("bad-mapping", name, None, None, None, "The mapping file holds no 'columns:' section.", "")]
    columns = data.get("columns") or {}
    values = data.get("values") or {}
    accepted = ", ".join(list(FIELD) + [EXTRA, IGNORE])
    out_cols: dict[str, str] = {}
    for col, fid in (columns.items() if isinstance(columns, dict) else []):
        fid = str(fid).strip()
        if fid not in FIELD and fid not in (EXTRA, IGNORE):
            problems.append(Problem("bad-mapping", name, None, str(col), fid, f'"{fid}" is not a field.', f"Fields: {accepted}."))
        else:
            out_cols[str(col)] = fid
    out_vals: dict[str, dict[str, str]] = {}
    for fid, table in (values.items() if isinstance(values, dict) else []):
        f = FIELD.get(str(fid))
        if f is None or f.enum is None or not isinstance(table, dict):
            problems.append(Problem("bad-mapping", name, None, str(fid), None,
                                    f'Values can be given for fields with a value list, not for "{fid}".',
                                    "Fields with values: " + ", ".join(x.id for x in FIELDS if x.enum) + "."))
            continue
        enum = vocabulary().enum(f.enum)
        for text, value in table.items():
            ev = enum.parse(str(value))
            if ev is None:
                problems.append(Problem("bad-mapping", name, None, str(fid), str(value), f'"{value}" is not a value of {fid}.',
                                        "Accepted: " + " | ".join(enum.accepted()) + "."))
            else:
                out_vals.setdefault(f.id, {})[fold_header(str(text))] = ev.id
    from .archimate_roles import read_role_mapping  # ArchiMate models: actors' roles (actors:, roles:)

    roles, more = read_role_mapping(data, name)
    return {"columns": out_cols, "values": out_vals, **roles}, problems + more


def mapping_yaml(pairs: list[tuple[str, str]], source: str = "") -> str:
    """The column mapping as a YAML file to correct and pass back with ``--mapping``.

    >>> print(mapping_yaml([("Applicatie", "application"), ("Notitie", "extra")], "apps.xlsx"))  # doctest: +ELLIPSIS
    # Column mapping for apps.xlsx: which field each column holds.
    # Fields: application, application_id, ... escrow; extra (keep as an extra column), ignore (leave out).
    columns:
      Applicatie: application
      Notitie: extra
    <BLANKLINE>
    """
    fields = ", ".join(f.id for f in FIELDS)
    lines = [f"# Column mapping for {source}: which field each column holds." if source else
             "# Column mapping: which field each column holds.",
             f"# Fields: {fields}; extra (keep as an extra column), ignore (leave out).",
             "columns:"]
    for col, fid in pairs:
        lines.append(f"  {yaml.safe_dump(col, allow_unicode=True).strip().removesuffix('...').strip()}: {fid}")
    return "\n".join(lines) + "\n"


# --- the conversion ---------------------------------------------------------------

class Row:
    """One application's values by field, with the column (or property) each came from."""

    def __init__(self, line: int | None, by_field: dict[str, tuple[str, str]] | None = None,
                 extras: list[tuple[str, str]] | None = None) -> None:
        self.line = line
        self.by_field: dict[str, tuple[str, str]] = dict(by_field or {})
        self.extras: list[tuple[str, str]] = list(extras or [])

    @classmethod
    def from_cells(cls, line: int, cells: list[str], pairs: list[tuple[str, str]]) -> "Row":
        row = cls(line)
        for i, (col, fid) in enumerate(pairs):
            text = cells[i].strip() if i < len(cells) else ""
            if fid == EXTRA:
                row.extras.append((col, text))
            elif fid != IGNORE:
                row.by_field[fid] = (col, text)
        return row

    def get(self, fid: str) -> str:
        return self.by_field.get(fid, ("", ""))[1]

    def column(self, fid: str) -> str:
        return self.by_field.get(fid, (fid, ""))[0]


class RowConverter:
    """Turns :class:`Row` objects into nodes and links of a :class:`Draft` (see the module docstring)."""

    def __init__(self, draft: Draft, lang: str = "en", values: dict[str, dict[str, str]] | None = None) -> None:
        self.d = draft
        self.lang = "nl" if lang == "nl" else "en"
        self.values = values or {}
        self.known: dict[str, str] = {}  # supplier text -> node id, for importers that made the supplier already
        self.forms: dict[str, str] = {}  # supplier node -> its legal form
        self.given: dict[str, str] = {}  # process -> the highest criticality a row gave
        self.derived: dict[str, Derived] = {}  # process -> the highest criticality derived (BIV, bedrijfskritisch)
        self.v = vocabulary()

    def report(self, row: Row, fid: str, value: str, message: str, hint: str = "") -> None:
        self.d.problems.append(Problem("unmapped-value", self.d.source, row.line, row.column(fid), value, message, hint))

    def enum_value(self, row: Row, fid: str) -> str | None:
        text = row.get(fid)
        if not text:
            return None
        f = FIELD[fid]
        token = fold_header(text)
        for table in (self.values.get(fid, {}), value_synonyms(fid)):
            if token in table:
                return table[token]
        ev = self.v.enum(f.enum).parse(text)
        if ev is None:
            accepted = " | ".join(f"{x.id} ({x.label('nl')})" for x in self.v.enum(f.enum).values)
            self.report(row, fid, text, f'"{text}" is not a value sovmap knows for {fid}; the cell was left empty.',
                        f"Accepted: {accepted}. Or give its meaning in a mapping file under values:.")
            return None
        return ev.id

    def country(self, row: Row, fid: str) -> str | None:
        text = row.get(fid)
        if not text:
            return None
        code = parse_country(text)
        if code is None:
            sug = suggest_country(text)
            self.report(row, fid, text, f'"{text}" is not a known country; the cell was left empty.',
                        (f'Did you mean "{sug}"? ' if sug else "") + "Use a country name or the two-letter code, e.g. NL, DE, US.")
        return code

    def supplier(self, name: str, row: Row) -> str:
        """The supplier called ``name``: one per company, whatever the spelling of its legal form.

        "Centric", "Centric B.V." and "centric bv" are one supplier; "Microsoft
        B.V." and "Microsoft Corporation" are two (different legal forms are
        different companies). A catalogue id (``CAT-...``) becomes the id.
        """
        if name in self.known:
            return self.known[name]
        if CATALOGUE_ID.match(name):
            cid = name.upper()
            return self.d.add("supplier", cid, id=cid if cid not in self.d else None, key="cat:" + cid, line=row.line)
        base, form = fold_name(name) or fold_text(name) or name, legal_form(name)
        found = self.d.find("supplier", f"{base}|{form}")
        if found is None and not form:
            found = self.d.find("supplier", base)  # the first company with this name
        if found is None and form and self.d.find("supplier", base) and not self.forms.get(self.d.find("supplier", base)):
            found = self.d.find("supplier", base)  # a name without legal form, now known to have one
        if found is None:
            found = self.d.add("supplier", name, key=f"{base}|{form}", line=row.line)
            self.d.alias("supplier", base, found)
        else:
            self.d.alias("supplier", f"{base}|{form}", found)
        if form:
            self.forms.setdefault(found, form)
        return found

    def derived_criticality(self, row: Row, availability: bool, biv) -> Derived | None:
        """The criticality a row without one gets from its B level (column or BIV) or business-critical flag."""
        found = []
        if availability:
            found.append(derive(row.column("availability"), "availability", row.get("availability")))
        elif biv is not None and biv.availability is not None:
            found.append(derive(row.column("classification"), "classification", row.get("classification")))
        flag = row.get("business_critical")
        if flag:
            found.append(derive(row.column("business_critical"), "business_critical", flag))
            if found[-1] == UNREADABLE:
                self.report(row, "business_critical", flag, f'"{flag}" is not ja/nee (yes/no) or a criticality; '
                            "no criticality was derived from it.", "Write ja or nee, or a criticality: vitaal, hoog, "
                            "midden, laag (vital, high, medium, low).")
        return strongest(d for d in found if isinstance(d, Derived))

    def process_properties(self, process: str, props: list[tuple[str, str]], line: int | None) -> None:
        """Give a process without a criticality one derived from its own properties (BIV, Beschikbaarheid,
        bedrijfskritisch: :mod:`sovmap.ingest.criticality`), marked by :meth:`mark_derived`."""
        if self.d.get(process, "criticality"):
            return
        found = []
        for name, value in props:
            fid = field_for(name)
            if fid not in FIELDS_DERIVING or not value:
                continue
            got = derive(name, fid, value)
            if got == UNREADABLE:
                self.report(Row(line, {fid: (name, value)}), fid, value,
                            f'"{value}" is not a rating sovmap can read; no criticality was derived from it.',
                            'Write e.g. "BIV 3-2-2", a level (laag, midden, hoog) or ja/nee.')
            elif got:
                found.append(got)
        best = strongest(found)
        if best:
            self.d.set(process, "criticality", best.criticality, line=line)
            self.note_criticality(process, best.criticality, best)

    def note_criticality(self, process: str, value: str, derived: Derived | None) -> None:
        """Remember whether a row gave ``process`` its criticality or it was derived (see :meth:`mark_derived`)."""
        rank = {x.id: x.rank for x in self.v.enum("criticality").values}
        table = self.derived if derived else self.given
        old = table.get(process)
        old_value = old.criticality if isinstance(old, Derived) else old
        if old is None or rank[value] > rank[old_value]:
            table[process] = derived or value

    def mark_derived(self) -> None:
        """Mark the processes whose criticality came from a derived value, not a given one, with its source."""
        rank = {x.id: x.rank for x in self.v.enum("criticality").values}
        for p, d in self.derived.items():
            if p not in self.given or rank[d.criticality] > rank[self.given[p]]:
                self.d.set(p, DERIVED_MARK, d.source)

    def stand_in(self, what: str, app: str) -> str:
        return _STAND_IN[what][self.lang].format(app)

    def raiselevel(self, node: str, column: str, value: str, enum: str) -> None:
        current = self.d.get(node, column)
        rank = {x.id: x.rank for x in self.v.enum(enum).values}
        if not current or rank[value] > rank[current]:
            self.d.set(node, column, value, replace=True)

    def row(self, row: Row, *, key: str | None = None) -> str | None:
        """Add what one row says; return the system's id (None for a row without an application name)."""
        d, line = self.d, row.line
        app = row.get("application")
        if not app:
            filled = [f"{c}={t}" for c, t in [*row.by_field.values(), *row.extras] if t]
            if filled:
                self.report(row, "application", "", "This row has no application name and was not converted: "
                            + "; ".join(filled)[:200] + ".", "Fill in the application's name.")
            return None
        app_id = row.get("application_id")
        key = key or ("id:" + app_id if app_id else "name:" + fold_text(app))
        sys_id = d.find("system", key)
        if sys_id is None:
            use_id = app_id if app_id and app_id not in d else None
            if app_id and use_id is None:
                self.report(row, "application_id", app_id, f'The id "{app_id}" is already used by another item; a new id was made.')
            sys_id = d.add("system", app, id=use_id, key=key, line=line)

        # The system's own columns.
        d.set(sys_id, "type", row.get("system_type"), line=line)
        for fid in ("data_export", "exit_plan", "key_control"):
            d.set(sys_id, self.v.kind("system").column(fid).key, self.enum_value(row, fid), line=line)

        # Supplier, operator, hosting and location.
        sup_text = row.get("supplier")
        if sup_text:
            sup = self.supplier(sup_text, row)
            d.set(sup, "country", self.country(row, "supplier_country"), line=line)
            d.link(sys_id, sup, "provided_by", line=line)
        elif row.get("supplier_country"):
            self.report(row, "supplier_country", row.get("supplier_country"),
                        "A supplier's country is given but no supplier; the country was not used.")
        op_text = row.get("operator")
        if op_text:
            d.link(sys_id, self.supplier(op_text, row), "operated_by", line=line)
        party = row.get("hosting_party")
        hosting = row.get("hosting")
        models = hosting_models()
        for text in (hosting, party):
            if text and fold_header(text) in models:
                d.set(sys_id, "type", text, line=line)
        if party and fold_header(party) in models:
            party = ""
        if hosting and fold_header(hosting) not in models:
            if not party:
                party = hosting
            elif fold_name(hosting) != fold_name(party):
                self.report(row, "hosting", hosting, f'"{hosting}" names another hosting party than "{party}"; it was not used.')
        loc_name = row.get("location")
        cc = self.country(row, "location_country")
        if loc_name or party or cc:
            name = loc_name or (self.stand_in("location", party) if party else self.stand_in("unknown_location", ""))
            if not loc_name and cc:
                name = f"{name.strip()} ({cc})"
            loc = d.add("location", name.strip(), key=fold_text(name), line=line)
            d.set(loc, "country", cc, line=line)
            if party:
                d.link(loc, self.supplier(party, row), "operated_by", line=line)
            d.link(sys_id, loc, "hosted_at", line=line)

        # Organisation.
        org = None
        org_text = row.get("organisation")
        if org_text:
            org = d.add("organisation", org_text, key=fold_text(org_text), line=line)
            d.link(sys_id, org, "belongs_to", line=line)

        # BIV / BBN, criticality and classification.
        biv = None
        cls_text = row.get("classification")
        classification = None
        if cls_text:
            ev = self.v.enum("classification").parse(cls_text)
            if ev is not None:
                classification = ev.id
            else:
                biv = parse_biv(cls_text)
                if biv is None:
                    self.report(row, "classification", cls_text,
                                f'"{cls_text}" is not a classification, BIV or BBN rating sovmap can read; the cell was left empty.',
                                'Write e.g. "BBN2", "BIV 3-2-2", "B3 I2 V2" or a classification: public | internal | '
                                "confidential | secret (openbaar | intern | vertrouwelijk | geheim).")
                else:
                    classification = biv.classification
                    d.set(sys_id, row.column("classification"), cls_text, line=line)
        levels = {}
        for fid in ("availability", "integrity", "confidentiality"):
            text = row.get(fid)
            if text:
                lv = level(text)
                if lv is None:
                    self.report(row, fid, text, f'"{text}" is not a BIV level; the cell was left empty.',
                                "Use 0-3 or geen, laag, midden, hoog (none, low, medium, high).")
                else:
                    levels[fid] = lv
                    d.set(sys_id, row.column(fid), text, line=line)
        if "confidentiality" in levels and classification is None:
            classification = CLASS_BY_V[levels["confidentiality"]]
        criticality = self.enum_value(row, "criticality")
        derived = None
        if criticality is None and not row.get("criticality"):
            derived = self.derived_criticality(row, "availability" in levels, biv)
            criticality = derived.criticality if derived else None
        personal = self.enum_value(row, "personal_data")

        # Processes that use the system.
        processes = [p.strip() for p in re.split(r"[;\n|]+", row.get("process")) if p.strip()]
        if not processes and criticality:
            processes_ids = [d.add("process", self.stand_in("process", app), key="stand-in:" + sys_id, line=line,
                                   id=d.find("process", "stand-in:" + sys_id) or d.new_id("process", app))]
        else:
            processes_ids = [d.add("process", p, key=fold_text(p), line=line) for p in processes]
        for p in processes_ids:
            if criticality:
                self.raiselevel(p, "criticality", criticality, "criticality")
                self.note_criticality(p, criticality, derived)
            if org and not d.get(p, "organisation_id"):
                d.link(p, org, "belongs_to", line=line)
            d.link(p, sys_id, "uses", line=line)

        # Data sets stored in the system.
        datasets = [x.strip() for x in re.split(r"[;\n|]+", row.get("dataset")) if x.strip()]
        if not datasets and (classification or personal):
            dataset_ids = [d.add("dataset", self.stand_in("dataset", app), key="stand-in:" + sys_id, line=line,
                                 id=d.find("dataset", "stand-in:" + sys_id) or d.new_id("dataset", app))]
        else:
            dataset_ids = [d.add("dataset", x, key=fold_text(x), line=line) for x in datasets]
        for ds in dataset_ids:
            if classification:
                self.raiselevel(ds, "classification", classification, "classification")
            if personal:
                self.raiselevel(ds, "personal_data", personal, "personal_data")
            if org and not d.get(ds, "organisation_id"):
                d.link(ds, org, "belongs_to", line=line)
            d.link(ds, sys_id, "stored_in", line=line)

        self.contract(row, sys_id, app, sup_text)

        # Everything else stays on the system.
        for col, text in row.extras:
            d.set(sys_id, _extra_name(col), text, line=line)
        return sys_id


    def contract(self, row: Row, sys_id: str, app: str, sup_text: str) -> str | None:
        """The contract a row's contract columns describe, covering its system (None when it has none)."""
        d, line = self.d, row.line
        number = row.get("contract")
        given = {fid: row.get(fid) for fid in (*CONTRACT_FIELDS, *CONTRACT_ENUMS) if row.get(fid)}
        if not number and not given:
            return None
        name = number or self.stand_in("contract", app)
        key = "number:" + fold_text(number) if number else "stand-in:" + sys_id
        own_id = number if number.upper().startswith("C-") and number not in d and not d.find("contract", key) else None
        c = d.add("contract", name, id=own_id, key=key, line=line)  # a number like C-2019-004 is the id
        for fid, key in CONTRACT_FIELDS.items():
            d.set(c, key, given.get(fid), line=line)  # dates, months and countries are checked on loading
        for fid, key in CONTRACT_ENUMS.items():
            d.set(c, key, self.enum_value(row, fid), line=line)
        d.link(c, sys_id, "covers", line=line)
        if sup_text:
            d.link(c, self.supplier(sup_text, row), "contracted_from", line=line)
        return c


@cache
def _system_headers() -> frozenset[str]:
    return frozenset(a for c in vocabulary().kind("system").columns for a in c.aliases)


def _extra_name(col: str) -> str:
    """An extra column's header, renamed when it would read as one of the systems file's own columns."""
    name = safe_column_name(col.strip() or "column")
    return f"{name} (source)" if normalise_token(name) in _system_headers() else name


def read_flatlist(name: str, data: bytes, *, mapping: dict | None = None, lang: str = "en",
                  sheet: str | None = None) -> Conversion:
    """Convert a flat application list (CSV or .xlsx) into canonical inventory tables.

    Parameters
    ----------
    name
        The file name (its extension decides CSV or workbook).
    data
        The file's bytes.
    mapping
        Corrections from :func:`load_mapping`: ``{"columns": {column: field},
        "values": {field: {text: value id}}}``.
    lang
        ``nl`` or ``en``: the language of the names of stand-in processes,
        data sets and locations.
    sheet
        The sheet to read; by default the one whose header names the most fields.

    Returns
    -------
    Conversion
        Canonical tables (validate them with ``.load()``), the problems found
        (every column and value that could not be mapped, with its line), and
        the column mapping used.
    """
    mapping = mapping or {}
    label, rows, problems = read_grid(name, data, sheet)
    if rows and is_transposed(rows):  # fields down the first column, one item per column
        rows = transpose(rows)
        label = f"{label} (transposed: line n = column n)"
    draft = Draft(label)
    draft.problems.extend(problems)
    if not rows:
        if not problems:
            draft.problems.append(Problem("unreadable-source", label, None, None, None, "The list is empty.", ""))
        return Conversion.from_draft(draft, "flat")
    pos = find_header(rows)
    for line, cells in rows[:pos]:
        draft.problems.append(Problem("unmapped-value", label, line, None, " ".join(c for c in cells if c)[:100],
                                      "This row is above the column names and was not read.", ""))
    header_line, header = rows[pos]
    pairs, notes = map_columns(header, mapping.get("columns"))
    draft.problems.extend(Problem("unmapped-column", label, header_line, c, c, n + "; it is kept as an extra column.",
                                  "Give each column its own field in a mapping file, or mark one as extra.")
                          for c, n in ((n.split('"')[1], n) for n in notes))
    folded = {fold_header(h) for h in header}
    for col in (mapping.get("columns") or {}):
        if fold_header(col) not in folded:
            draft.problems.append(Problem("bad-mapping", label, header_line, col, col,
                                          f'The mapping names the column "{col}", which the list does not have.',
                                          "Columns: " + ", ".join(f'"{h}"' for h in header if h) + "."))
    mapped = {f for _, f in pairs}
    if "application" not in mapped:
        down = [c for c in first_column(rows) if field_for(c)]
        draft.problems.append(Problem(
            "missing-column", label, header_line, "application", None,
            "No column with the application names was found."
            + (" The first column seems to hold the fields (" + ", ".join(f'"{c}"' for c in down[:4])
               + "), one item per column." if len(down) >= 2 else ""),
            ('Name the row with the application names "Applicatie" (or "Application"): a sheet with the fields down '
             "the first column is then read one item per column." if len(down) >= 2 else
             'Name it "Applicatie" (or "Application"), or say which column it is in a mapping file: '
             '"<column name>: application".')))
        return Conversion.from_draft(draft, "flat", pairs)
    for col, fid in pairs:
        if fid == EXTRA and col.strip() and not any(col in n for n in notes):
            draft.problems.append(Problem("unmapped-column", label, header_line, col, col,
                                          f'The column "{col}" is not one sovmap recognises; it is kept as an extra column of the systems.',
                                          "If it holds one of sovmap's fields, say so in a mapping file (--save-mapping writes one to edit)."))
    conv = RowConverter(draft, lang, mapping.get("values") or {})
    width = len(header)
    converted = 0
    for line, cells in rows[pos + 1:]:
        if len(cells) > width and any(cells[width:]):
            draft.problems.append(Problem("unmapped-value", label, line, None, cells[width],
                                          f"The row has {len(cells)} values but the header has {width} columns; the extra values were not read.",
                                          "Give the extra values a column name."))
        converted += conv.row(Row.from_cells(line, cells, _unique_extras(pairs))) is not None
    conv.mark_derived()
    if not converted:
        draft.problems.append(Problem("unreadable-source", label, header_line, None, None,
                                      "The list has no rows with an application name.",
                                      f'Fill in the column "{next(c for c, f in pairs if f == "application")}".'))
    return Conversion.from_draft(draft, "flat", pairs)


def _unique_extras(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Extra columns with unique names: a second "Opmerking" becomes "Opmerking (2)", an unnamed one (or "-") "column 7"."""
    seen: dict[str, int] = {}
    out = []
    for i, (col, fid) in enumerate(pairs, start=1):
        if fid == EXTRA:
            col = col.strip() if normalise_token(col) else f"column {i}"  # "-" names no column either
            seen[col] = seen.get(col, 0) + 1
            if seen[col] > 1:
                col = f"{col} ({seen[col]})"
        out.append((col, fid))
    return out
