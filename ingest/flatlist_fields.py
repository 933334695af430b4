"""The fields of a flat application list and the column names that name them (the ontology's labels plus flatlist_synonyms.yaml).

Names are compared folded by :func:`fold_header` (case, accents, punctuation
and spaces ignored); :func:`field_for` says which field a column (or model
property) names, and :func:`map_columns` decides a whole header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from sovmap.ontology.vocab import normalise_token, vocabulary

from .names import fold_text

__all__ = ["Field", "FIELDS", "FIELD", "EXTRA", "IGNORE", "fold_header", "synonyms", "value_synonyms",
           "hosting_models", "field_index", "field_for", "map_columns"]

EXTRA = "extra"  # keep the column as an extra column of the system
IGNORE = "ignore"  # leave the column out (only when the user's mapping says so)


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
    Field("business_critical", "bedrijfskritisch ja/nee → processes.criticality high/low when none is given"),
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
FIELD = {f.id: f for f in FIELDS}

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


def fold_header(text: str) -> str:
    """Fold a column name: punctuation as spaces, then as the ontology folds headers."""
    return normalise_token(re.sub(r"[/\\.,:;()\[\]*?!#'\"]+", " ", fold_text(text) if text else ""))


@cache
def _synonym_data() -> dict:
    text = resources.files("sovmap.ingest").joinpath("flatlist_synonyms.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    unknown = set(data["fields"]) - set(FIELD)
    if unknown:
        raise ValueError(f"flatlist_synonyms.yaml names unknown fields {sorted(unknown)}; known: {sorted(FIELD)}")
    return data


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """Field id → accepted (folded) column names, in priority order: the YAML's, then the ontology's."""
    v = vocabulary()
    data = _synonym_data()
    out: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for f in FIELDS:
        names = [fold_header(str(x)) for x in data["fields"].get(f.id, [])]
        src = _ONTOLOGY.get(f.id, {})
        for kind_id, key in src.get("columns", []):
            col = v.kind(kind_id).column(key)
            names += [fold_header(a) for a in col.aliases] + [fold_header(x) for x in col.labels.values()]
        for rel_id in src.get("relations", []):
            rel = v.relation(rel_id)
            names += [fold_header(x) for x in rel.labels.values()] + [fold_header(a) for a in rel.aliases]
        for kind_id in src.get("kinds", []):
            kind = v.kind(kind_id)
            names += [fold_header(x) for x in kind.labels.values()] + [fold_header(x) for x in kind.files]
        kept = []
        for n in dict.fromkeys(names):
            if n and n not in owner:
                owner[n] = f.id
                kept.append(n)
        out[f.id] = tuple(kept)
    return out


def value_synonyms(field_id: str) -> dict[str, str]:
    return {fold_header(str(k)): str(v) for k, v in (_synonym_data().get("values", {}).get(field_id) or {}).items()}


@cache
def hosting_models() -> frozenset[str]:
    return frozenset(fold_header(str(x)) for x in _synonym_data().get("hosting_models", []))


@cache
def field_index() -> dict[str, tuple[str, int]]:
    """Folded column name → (field id, priority)."""
    return {name: (fid, i) for fid, names in synonyms().items() for i, name in enumerate(names)}


def field_for(name: str) -> str | None:
    """The field a column (or property) name stands for, or None.

    >>> field_for("Leverancier"), field_for("BIV-classificatie"), field_for("Opmerkingen")
    ('supplier', 'classification', None)
    """
    hit = field_index().get(fold_header(name))
    return hit[0] if hit else None



def map_columns(header: list[str], overrides: dict[str, str] | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """Decide which field each column holds.

    Returns the (column, field) pairs in column order, with :data:`EXTRA` for
    columns that are kept as extra system columns (and :data:`IGNORE` where
    ``overrides`` says so), and a note for every column that was not mapped
    because another column already holds its field.

    An export of the Softwarecatalogus' own register (OpenRegister, since
    2025; e.g. VNG-Realisatie/Softwarecatalogus,
    test-results/gemeente/export-applicaties.csv) gives a relation as two
    columns: "aanbieder" holds the supplier's id (a GUID), "_aanbieder" its
    name. Both fold to the same name; the one with the underscore is read, so
    that a supplier is known by its name (which the catalogue can match), and
    the ids are kept as an extra column.

    >>> pairs, notes = map_columns(["Applicatie", "Eigenaar", "Afdeling", "Opmerking"])
    >>> pairs
    [('Applicatie', 'application'), ('Eigenaar', 'extra'), ('Afdeling', 'organisation'), ('Opmerking', 'extra')]
    >>> notes
    ['"Eigenaar" also names organisation, which is read from "Afdeling"']
    >>> map_columns(["naam", "aanbieder", "_aanbieder"])[0]
    [('naam', 'application'), ('aanbieder', 'extra'), ('_aanbieder', 'supplier')]
    """
    index = field_index()
    overrides = {fold_header(k): v for k, v in (overrides or {}).items()}
    chosen: dict[str, tuple[float, int]] = {}  # field → (priority, column position)
    wanted: list[tuple[str, str | None, float]] = []
    named = {raw.strip() for raw in header}
    for pos, raw in enumerate(header):
        token = fold_header(raw)
        if token in overrides:
            fid, prio = overrides[token], -1
        elif token in index:
            fid, prio = index[token]
            if raw.strip().startswith("_") and raw.strip()[1:] in named:
                prio -= 0.5  # the names beside their ids: "_aanbieder" beside "aanbieder"
        else:
            fid, prio = None, 0
        wanted.append((raw, fid, prio))
        if fid in FIELD and (fid not in chosen or prio < chosen[fid][0]):
            chosen[fid] = (prio, pos)
    pairs, notes = [], []
    for pos, (raw, fid, _) in enumerate(wanted):
        if fid in FIELD and chosen[fid][1] == pos:
            pairs.append((raw, fid))
        elif fid in (EXTRA, IGNORE):
            pairs.append((raw, fid))
        else:
            if fid in FIELD:
                notes.append(f'"{raw}" also names {fid}, which is read from "{header[chosen[fid][1]]}"')
            pairs.append((raw, EXTRA))
    return pairs, notes
