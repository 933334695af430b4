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
    availability sets the criticality only when the row has none of its own.
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
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from sovmap.ontology.countries import parse_country, suggest_country
from sovmap.ontology.vocab import normalise_token, vocabulary

from .biv import CLASS_BY_V, CRITICALITY_BY_B, level, parse_biv
from .draft import Conversion, Draft
from .names import fold_name, fold_text, legal_form
from .problems import Problem
from .validate import safe_column_name
from .read import limits, sheet_problems, text_rows, too_large, workbook_sheets

__all__ = ["Field", "FIELDS", "field_for", "map_columns", "read_flatlist", "load_mapping",
           "mapping_yaml", "Row", "RowConverter", "EXTRA", "IGNORE"]

EXTRA = "extra"  # keep the column as an extra column of the system
IGNORE = "ignore"  # leave the column out (only when the user's mapping says so)

CATALOGUE_ID = re.compile(r"^CAT-[A-Z0-9][A-Z0-9_.-]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """A column a flat application list may have, and where its values land."""

    id: str
    target: str  # where it lands, for the mapping report
    enum: str | None = None  # value list of the ontology, when the cell holds one


FIELDS: tuple[Field, ...] = (
    Field("application", "systems.name"),
    Field("application_id", "systems.id"),
    Field("system_type", "systems.type"),
    Field("supplier", "suppliers.name → systems.supplier_id"),
    Field("supplier_country", "suppliers.country"),
    Field("operator", "suppliers.name → systems.operator_id"),
    Field("hosting", "systems.type (SaaS, on-premises ...) or the hosting party"),
    Field("hosting_party", "suppliers.name → locations.operator_id"),
    Field("location", "locations.name → systems.location_id"),
    Field("location_country", "locations.country"),
    Field("organisation", "organisations.name → organisation_id"),
    Field("process", "processes.name (uses the system)"),
    Field("dataset", "datasets.name (stored in the system)"),
    Field("criticality", "processes.criticality", "criticality"),
    Field("classification", "datasets.classification (BIV/BBN read)", "classification"),
    Field("availability", "B of BIV → processes.criticality when none is given"),
    Field("integrity", "I of BIV (kept on the system)"),
    Field("confidentiality", "V of BIV → datasets.classification"),
    Field("personal_data", "datasets.personal_data", "personal_data"),
    Field("data_export", "systems.data_export", "data_export"),
    Field("exit_plan", "systems.exit_plan", "yes_no"),
    Field("key_control", "systems.key_control", "key_control"),
    Field("contract", "contracts.name (the contract number; rows with the same one share it) → covers the system"),
    Field("contract_start", "contracts.start_date"),
    Field("contract_end", "contracts.end_date"),
    Field("notice_period", "contracts.notice_period"),
    Field("renewal", "contracts.renewal", "renewal"),
    Field("change_of_control", "contracts.change_of_control", "clause"),
    Field("data_return", "contracts.data_return", "data_return"),
    Field("governing_law", "contracts.governing_law"),
    Field("court", "contracts.court"),
    Field("escrow", "contracts.escrow", "clause"),
)
#: The fields that make a contract for the row's system; their cells are checked when the inventory is loaded.
CONTRACT_FIELDS = {"contract_start": "start_date", "contract_end": "end_date", "notice_period": "notice_period",
                   "governing_law": "governing_law", "court": "court"}
CONTRACT_ENUMS = {"renewal": "renewal", "change_of_control": "change_of_control", "data_return": "data_return",
                  "escrow": "escrow"}
_FIELD = {f.id: f for f in FIELDS}

# Where each field's ontology synonyms come from: (kind, column key) columns, relations and kinds.
_ONTOLOGY = {
    "application": {"columns": [("system", "name")], "kinds": ["system"]},
    "application_id": {"columns": [("system", "id")]},
    "system_type": {"columns": [("system", "type")]},
    "supplier": {"columns": [("system", "supplier_id")], "relations": ["provided_by"], "kinds": ["supplier"]},
    "supplier_country": {"columns": [("supplier", "country")], "relations": ["registered_in"]},
    "operator": {"columns": [("system", "operator_id")], "relations": ["operated_by"]},
    "location": {"columns": [("system", "location_id")], "relations": ["hosted_at"], "kinds": ["location"]},
    "location_country": {"relations": ["located_in"]},
    "organisation": {"columns": [("system", "organisation_id")], "relations": ["belongs_to"], "kinds": ["organisation"]},
    "process": {"kinds": ["process"]},
    "dataset": {"kinds": ["dataset"]},
    "criticality": {"columns": [("process", "criticality")]},
    "classification": {"columns": [("dataset", "classification")]},
    "personal_data": {"columns": [("dataset", "personal_data")]},
    "data_export": {"columns": [("system", "data_export")]},
    "exit_plan": {"columns": [("system", "exit_plan")]},
    "key_control": {"columns": [("system", "key_control")]},
    "contract_start": {"columns": [("contract", "start_date")]},
    "contract_end": {"columns": [("contract", "end_date")]},
    "notice_period": {"columns": [("contract", "notice_period")]},
    "renewal": {"columns": [("contract", "renewal")]},
    "change_of_control": {"columns": [("contract", "change_of_control")]},
    "data_return": {"columns": [("contract", "data_return")]},
    "governing_law": {"columns": [("contract", "governing_law")]},
    "court": {"columns": [("contract", "court")]},
    "escrow": {"columns": [("contract", "escrow")]},
}

_STAND_IN = {
    "process": {"nl": "Processen die {} gebruiken", "en": "Processes using {}"},
    "dataset": {"nl": "Gegevens in {}", "en": "Data in {}"},
    "location": {"nl": "Datacenter {}", "en": "{} data centre"},
    "unknown_location": {"nl": "Onbekend datacenter", "en": "Unknown data centre"},
    "contract": {"nl": "Contract {}", "en": "Contract for {}"},
}


def _fold_header(text: str) -> str:
    """Fold a column name: punctuation as spaces, then as the ontology folds headers."""
    return normalise_token(re.sub(r"[/\\.,:;()\[\]*?!#'\"]+", " ", fold_text(text) if text else ""))


@cache
def _synonym_data() -> dict:
    text = resources.files("sovmap.ingest").joinpath("flatlist_synonyms.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    unknown = set(data["fields"]) - set(_FIELD)
    if unknown:
        raise ValueError(f"flatlist_synonyms.yaml names unknown fields {sorted(unknown)}; known: {sorted(_FIELD)}")
    return data


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """Field id → accepted (folded) column names, in priority order: the YAML's, then the ontology's."""
    v = vocabulary()
    data = _synonym_data()
    out: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for f in FIELDS:
        names = [_fold_header(str(x)) for x in data["fields"].get(f.id, [])]
        src = _ONTOLOGY.get(f.id, {})
        for kind_id, key in src.get("columns", []):
            col = v.kind(kind_id).column(key)
            names += [_fold_header(a) for a in col.aliases] + [_fold_header(x) for x in col.labels.values()]
        for rel_id in src.get("relations", []):
            rel = v.relation(rel_id)
            names += [_fold_header(x) for x in rel.labels.values()] + [_fold_header(a) for a in rel.aliases]
        for kind_id in src.get("kinds", []):
            kind = v.kind(kind_id)
            names += [_fold_header(x) for x in kind.labels.values()] + [_fold_header(x) for x in kind.files]
        kept = []
        for n in dict.fromkeys(names):
            if n and n not in owner:
                owner[n] = f.id
                kept.append(n)
        out[f.id] = tuple(kept)
    return out


def _value_synonyms(field_id: str) -> dict[str, str]:
    return {_fold_header(str(k)): str(v) for k, v in (_synonym_data().get("values", {}).get(field_id) or {}).items()}


@cache
def _hosting_models() -> frozenset[str]:
    return frozenset(_fold_header(str(x)) for x in _synonym_data().get("hosting_models", []))


# --- reading the grid -------------------------------------------------------------

def _grid(name: str, data: bytes, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]], list[Problem]]:
    """Rows of text cells with their line (row) numbers, from a CSV file or one sheet of a workbook."""
    lim = limits()
    if name.lower().endswith((".xlsx", ".xlsm")):
        titles: list[str] = []

        def wanted(title: str) -> bool:
            titles.append(title)
            return sheet is None or title == sheet

        sheets, problems = workbook_sheets(name, data, lim, wanted)
        problems = [replace(p, rule="unreadable-source") if p.rule == "not-text" else p for p in problems]
        if problems:
            return name, [], problems
        if not sheets:
            listed = ", ".join(f'"{t}"' for t in titles)
            return name, [], [Problem("unreadable-source", name, None, None, sheet,
                                      f'The workbook has no sheet "{sheet}".', f"Its sheets are {listed}.")]
        for ws in sheets:
            ws.rows = [(i, cells) for i, cells in ((i, [c.strip() for c in cells]) for i, cells in ws.rows) if any(cells)]
        best = max(sheets, key=lambda ws: _header_score(ws.rows))  # the first of the best
        if best.rows:
            line, header = best.rows[_find_header(best.rows)]
            problems = sheet_problems(best, line, header)
        return best.label, best.rows, problems
    if len(data) > lim.max_bytes:
        return name, [], [too_large(name, f"The file is {len(data):,} bytes, over the limit of {lim.megabytes()}", lim)]
    rows, problems, ok = text_rows(name, data, lim)
    problems = [replace(p, rule="unreadable-source") if p.rule == "not-text" else p for p in problems]
    if not ok:
        return name, [], problems
    rows = [(i, cells) for i, cells in ((i, [c.strip() for c in cells]) for i, cells in rows) if any(cells)]
    return name, rows, problems


def _header_score(rows: list[tuple[int, list[str]]]) -> int:
    """How many known columns the best header candidate among the first rows has (more is better)."""
    index = _index()
    best = 0
    for _, cells in rows[:10]:
        found = {index[t][0] for t in map(_fold_header, cells) if t in index}
        best = max(best, len(found) + (10 if "application" in found else 0))
    return best


@cache
def _index() -> dict[str, tuple[str, int]]:
    """Folded column name → (field id, priority)."""
    return {name: (fid, i) for fid, names in synonyms().items() for i, name in enumerate(names)}


def field_for(name: str) -> str | None:
    """The field a column (or property) name stands for, or None.

    >>> field_for("Leverancier"), field_for("BIV-classificatie"), field_for("Opmerkingen")
    ('supplier', 'classification', None)
    """
    hit = _index().get(_fold_header(name))
    return hit[0] if hit else None


def _find_header(rows: list[tuple[int, list[str]]]) -> int:
    """Position of the header row: the first of the first ten rows naming the application column, else the first row."""
    index = _index()
    scored = []
    for pos, (_, cells) in enumerate(rows[:10]):
        found = {index[t][0] for t in map(_fold_header, cells) if t in index}
        scored.append(((("application" in found) * 100 + len(found)), -pos))
    if not scored:
        return 0
    best = max(scored)
    return -best[1] if best[0] > 0 else 0


# --- mapping columns ------------------------------------------------------------

def map_columns(header: list[str], overrides: dict[str, str] | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """Decide which field each column holds.

    Returns the (column, field) pairs in column order, with :data:`EXTRA` for
    columns that are kept as extra system columns (and :data:`IGNORE` where
    ``overrides`` says so), and a note for every column that was not mapped
    because another column already holds its field.

    >>> pairs, notes = map_columns(["Applicatie", "Eigenaar", "Afdeling", "Opmerking"])
    >>> pairs
    [('Applicatie', 'application'), ('Eigenaar', 'extra'), ('Afdeling', 'organisation'), ('Opmerking', 'extra')]
    >>> notes
    ['"Eigenaar" also names organisation, which is read from "Afdeling"']
    """
    index = _index()
    overrides = {_fold_header(k): v for k, v in (overrides or {}).items()}
    chosen: dict[str, tuple[int, int]] = {}  # field → (priority, column position)
    wanted: list[tuple[str, str | None, int]] = []
    for pos, raw in enumerate(header):
        token = _fold_header(raw)
        if token in overrides:
            fid, prio = overrides[token], -1
        elif token in index:
            fid, prio = index[token]
        else:
            fid, prio = None, 0
        wanted.append((raw, fid, prio))
        if fid in _FIELD and (fid not in chosen or prio < chosen[fid][0]):
            chosen[fid] = (prio, pos)
    pairs, notes = [], []
    for pos, (raw, fid, _) in enumerate(wanted):
        if fid in _FIELD and chosen[fid][1] == pos:
            pairs.append((raw, fid))
        elif fid in (EXTRA, IGNORE):
            pairs.append((raw, fid))
        else:
            if fid in _FIELD:
                notes.append(f'"{raw}" also names {fid}, which is read from "{header[chosen[fid][1]]}"')
            pairs.append((raw, EXTRA))
    return pairs, notes


def load_mapping(path: str | Path) -> tuple[dict, list[Problem]]:
    """Read a column mapping file (YAML): ``columns: {Column: field}`` and ``values: {field: {text: value}}``.

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
    accepted = ", ".join(list(_FIELD) + [EXTRA, IGNORE])
    out_cols: dict[str, str] = {}
    for col, fid in (columns.items() if isinstance(columns, dict) else []):
        fid = str(fid).strip()
        if fid not in _FIELD and fid not in (EXTRA, IGNORE):
            problems.append(Problem("bad-mapping", name, None, str(col), fid, f'"{fid}" is not a field.', f"Fields: {accepted}."))
        else:
            out_cols[str(col)] = fid
    out_vals: dict[str, dict[str, str]] = {}
    for fid, table in (values.items() if isinstance(values, dict) else []):
        f = _FIELD.get(str(fid))
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
                out_vals.setdefault(f.id, {})[_fold_header(str(text))] = ev.id
    return {"columns": out_cols, "values": out_vals}, problems


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
        self.v = vocabulary()

    def report(self, row: Row, fid: str, value: str, message: str, hint: str = "") -> None:
        self.d.problems.append(Problem("unmapped-value", self.d.source, row.line, row.column(fid), value, message, hint))

    def enum_value(self, row: Row, fid: str) -> str | None:
        text = row.get(fid)
        if not text:
            return None
        f = _FIELD[fid]
        token = _fold_header(text)
        for table in (self.values.get(fid, {}), _value_synonyms(fid)):
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
        models = _hosting_models()
        for text in (hosting, party):
            if text and _fold_header(text) in models:
                d.set(sys_id, "type", text, line=line)
        if party and _fold_header(party) in models:
            party = ""
        if hosting and _fold_header(hosting) not in models:
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
        availability = levels.get("availability", biv.availability if biv else None)
        criticality = self.enum_value(row, "criticality")
        if criticality is None and not row.get("criticality") and availability is not None:
            criticality = CRITICALITY_BY_B[availability]
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
    label, rows, problems = _grid(name, data, sheet)
    draft = Draft(label)
    draft.problems.extend(problems)
    if not rows:
        if not problems:
            draft.problems.append(Problem("unreadable-source", label, None, None, None, "The list is empty.", ""))
        return Conversion.from_draft(draft, "flat")
    pos = _find_header(rows)
    for line, cells in rows[:pos]:
        draft.problems.append(Problem("unmapped-value", label, line, None, " ".join(c for c in cells if c)[:100],
                                      "This row is above the column names and was not read.", ""))
    header_line, header = rows[pos]
    pairs, notes = map_columns(header, mapping.get("columns"))
    draft.problems.extend(Problem("unmapped-column", label, header_line, c, c, n + "; it is kept as an extra column.",
                                  "Give each column its own field in a mapping file, or mark one as extra.")
                          for c, n in ((n.split('"')[1], n) for n in notes))
    folded = {_fold_header(h) for h in header}
    for col in (mapping.get("columns") or {}):
        if _fold_header(col) not in folded:
            draft.problems.append(Problem("bad-mapping", label, header_line, col, col,
                                          f'The mapping names the column "{col}", which the list does not have.',
                                          "Columns: " + ", ".join(f'"{h}"' for h in header if h) + "."))
    mapped = {f for _, f in pairs}
    if "application" not in mapped:
        draft.problems.append(Problem(
            "missing-column", label, header_line, "application", None,
            "No column with the application names was found.",
            'Name it "Applicatie" (or "Application"), or say which column it is in a mapping file: '
            '"<column name>: application".'))
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
