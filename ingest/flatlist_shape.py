"""The shape of a flat list: reading its grid of cells, finding the header row, and sheets laid out the other way round.

Government fill-in templates often run the fields down the first column
(Applicatie, Leverancier, Land ...) with one item per column.
:func:`is_transposed` recognises that shape: the first column's cells name at
least two known fields, among them the application, and more than any of the
first rows do. :func:`transpose` turns it into one row per item; the lines of
the result are the items' column numbers (column B is line 2), so a message
about "line 3" points at column C.

Examples
--------
>>> rows = [(1, ["Applicatie", "Zaaksysteem", "Website"]), (2, ["Leverancier", "Centric", "Acme"]),
...         (3, ["Land", "NL", "DE"])]
>>> is_transposed(rows)
True
>>> transpose(rows)
[(1, ['Applicatie', 'Leverancier', 'Land']), (2, ['Zaaksysteem', 'Centric', 'NL']), (3, ['Website', 'Acme', 'DE'])]
>>> is_transposed(transpose(rows))
False
"""

from __future__ import annotations

from dataclasses import replace

from .flatlist_fields import field_index, fold_header
from .problems import Problem
from .read import limits, sheet_problems, text_rows, too_large, workbook_sheets

__all__ = ["read_grid", "header_score", "find_header", "first_column", "is_transposed", "transpose"]

Rows = list[tuple[int, list[str]]]
_SCANNED = 60  # the first column's cells looked at


def read_grid(name: str, data: bytes, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]], list[Problem]]:
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
        best = max(sheets, key=lambda ws: header_score(ws.rows))  # the first of the best
        if best.rows:
            line, header = best.rows[find_header(best.rows)]
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


def header_score(rows: list[tuple[int, list[str]]]) -> int:
    """How many known columns the best header candidate among the first rows (or the first column) has (more is better)."""
    index = field_index()
    best = 0
    for cells in [c for _, c in rows[:10]] + [first_column(rows)]:
        found = {index[t][0] for t in map(fold_header, cells) if t in index}
        best = max(best, len(found) + (10 if "application" in found else 0))
    return best


def find_header(rows: list[tuple[int, list[str]]]) -> int:
    """Position of the header row: the first of the first ten rows naming the application column, else the first row."""
    index = field_index()
    scored = []
    for pos, (_, cells) in enumerate(rows[:10]):
        found = {index[t][0] for t in map(fold_header, cells) if t in index}
        scored.append(((("application" in found) * 100 + len(found)), -pos))
    if not scored:
        return 0
    best = max(scored)
    return -best[1] if best[0] > 0 else 0


def first_column(rows: Rows) -> list[str]:
    """The first cell of the first rows (the field names of a transposed sheet)."""
    return [cells[0] for _, cells in rows[:_SCANNED] if cells]


def is_transposed(rows: Rows) -> bool:
    """Whether the fields run down the first column, one item per column (see the module docstring)."""
    index = field_index()
    down = {index[t][0] for t in map(fold_header, first_column(rows)) if t in index}
    across = max((len({index[t][0] for t in map(fold_header, cells) if t in index}) for _, cells in rows[:10]),
                 default=0)
    return "application" in down and len(down) >= 2 and len(down) > across


def transpose(rows: Rows) -> Rows:
    """One row per column: the first column becomes the header (line 1), column N the row of line N.

    Columns with no value besides their first cell are left out; short rows count as empty cells.
    """
    width = max((len(cells) for _, cells in rows), default=0)
    out = []
    for j in range(width):
        cells = [c[j] if j < len(c) else "" for _, c in rows]
        if j == 0 or any(cells):
            out.append((j + 1, cells))
    return out
