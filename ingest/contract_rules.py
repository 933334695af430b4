"""Validation rules of the contracts file: dates, notice periods, jurisdictions and lists of covered systems.

Part of :mod:`sovmap.ingest.validate`; each rule adds problems to a list (errors as data). Which rule reads
a column is the column's ``sov:cellFormat`` in the ontology.

Examples
--------
>>> parse_date("31-12-2027"), parse_date("2027-02-30"), parse_date("2027-12-31T00:00:00")
('2027-12-31', None, '2027-12-31')
>>> parse_months("6 maanden"), parse_months("1 jaar"), parse_months("6m"), parse_months("90 dagen")
(6, 12, 6, None)
>>> parse_region("EER"), parse_region("Duitsland"), parse_region("Mars")
('EEA', 'DE', None)
"""

from __future__ import annotations

import datetime as dt
import re

from sovmap.ontology.countries import parse_country, suggest_country
from sovmap.ontology.vocab import Column

from .problems import Problem
from .records import NodeRecord

__all__ = ["parse_date", "parse_months", "parse_region", "contract_cell", "check_contracts", "REGIONS"]

#: Values of a region column that are not a country: the EU or the EU with the EEA.
REGIONS = {"eu": "EU", "eu_eea": "EEA", "eu/eea": "EEA", "eu/eer": "EEA", "eea": "EEA", "eer": "EEA",
           "europese_unie": "EU", "european_union": "EU"}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_MONTHS = re.compile(r"^(\d+)\s*([a-z.]*)$")
_MONTH_UNITS = {"", "m", "mnd", "mnd.", "maand", "maanden", "month", "months", "mo"}
_YEAR_UNITS = {"j", "jr", "jr.", "jaar", "jaren", "y", "yr", "year", "years"}


def parse_date(text: str) -> str | None:
    """An ISO date (YYYY-MM-DD) from ``YYYY-MM-DD`` or ``DD-MM-YYYY`` (also with / or .), or None."""
    t = text.strip()
    m = _ISO.match(t)
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = _DMY.match(t)
        if not m:
            return None
        d, mo, y = (int(x) for x in m.groups())
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def parse_months(text: str) -> int | None:
    """A notice period in whole months from ``6``, ``6m``, ``6 maanden``, ``6 months`` or ``1 jaar``; None otherwise."""
    m = _MONTHS.match(text.strip().lower())
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2)
    if unit in _MONTH_UNITS:
        return n
    if unit in _YEAR_UNITS:
        return 12 * n
    return None


def parse_region(text: str) -> str | None:
    """``EU``, ``EEA`` or an ISO country code from a data location cell; None when it is none of these."""
    token = "_".join(text.strip().lower().split())
    return REGIONS.get(token) or parse_country(text)


def _country_problem(node: NodeRecord, col: Column, value: str, region: bool) -> Problem:
    sug = suggest_country(value)
    accepted = "the two-letter ISO code, e.g. NL, DE, US, IE" + (", or EU / EEA" if region else "")
    return Problem("unknown-country", node.file, node.line, col.key, value, f'"{value}" is not a known country.',
                   (f'Did you mean "{sug}"? ' if sug else "") + f"Use {accepted}.")


def contract_cell(node: NodeRecord, col: Column, value: str, pending_refs: list, problems: list[Problem]) -> None:
    """Read one cell of a column with a ``cell_format`` into ``node``; a bad value becomes a problem."""
    fmt = col.cell_format
    if fmt == "date":
        iso = parse_date(value)
        if iso is None:
            problems.append(Problem("bad-date", node.file, node.line, col.key, value, f'"{value}" is not a date.',
                                    "Write the date as YYYY-MM-DD (or DD-MM-YYYY), e.g. 2027-12-31."))
        else:
            node.attrs[col.key] = iso
    elif fmt == "months":
        months = parse_months(value)
        if months is None:
            problems.append(Problem("bad-notice-period", node.file, node.line, col.key, value,
                                    f'"{value}" is not a notice period in months or years.',
                                    'Write a number of months, e.g. 6, "6 maanden", "3 months" or "1 jaar".'))
        else:
            node.attrs[col.key] = str(months)
    elif fmt in ("country", "region"):
        code = parse_region(value) if fmt == "region" else parse_country(value)
        if code is None:
            problems.append(_country_problem(node, col, value, fmt == "region"))
        else:
            node.attrs[col.key] = code
    elif fmt == "id_list":
        seen: list[str] = []
        for target in (x.strip() for x in value.split("|")):
            if not target:
                continue
            if target in seen:
                problems.append(Problem("duplicate-in-list", node.file, node.line, col.key, target,
                                        f'"{target}" is listed twice; it is counted once.', "Remove one of them."))
                continue
            seen.append(target)
            pending_refs.append((node, col, target))
    else:  # a format the ontology names but this module does not know: kept as text
        node.attrs[col.key] = value


def check_contracts(nodes: dict[str, NodeRecord], problems: list[Problem]) -> None:
    """Rules over a contract's cells together: the end date not before the start date."""
    for n in nodes.values():
        if n.kind != "contract":
            continue
        start, end = n.attrs.get("start_date"), n.attrs.get("end_date")
        if start and end and end < start:
            problems.append(Problem("end-before-start", n.file, n.line, "end_date", str(end),
                                    f"The end date {end} is before the start date {start}.",
                                    "Check both dates; write them as YYYY-MM-DD."))
