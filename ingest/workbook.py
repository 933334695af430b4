"""Workbooks (.xlsx) as text rows, within the limits, with what would otherwise read as empty recorded.

A cell holding a formula without a calculated value, and merged cells, are
recorded per sheet and turned into problems by :func:`sheet_problems` (the
caller knows which row is the header).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from .limits import Budget, Limits, archive_problem, limits, too_large
from .problems import Problem

__all__ = ["Sheet", "workbook_sheets", "sheet_problems", "unescape", "cell_text"]

_ESCAPED = ("=", "+", "-", "@", "\t", "\r")


def unescape(cell: str) -> str:
    """Undo the apostrophe that spreadsheet-safe exports put before = + - @ TAB CR."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _ESCAPED else cell


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


@dataclass
class Sheet:
    """One worksheet as text rows, plus what would otherwise read as empty: merged ranges and uncalculated formulas."""

    title: str
    label: str  # "book.xlsx [title]"
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    merged: list[tuple[int, int, str, str]] = field(default_factory=list)  # (first row, last row, range, top-left value)
    uncached: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, formula)


def workbook_sheets(name: str, data: bytes, budget: "Budget | Limits | None" = None,
                    wanted=lambda title: True) -> tuple[list[Sheet], list[Problem]]:
    """The sheets of an .xlsx workbook whose title ``wanted`` accepts, read as text within the limits.

    Cells are read as their calculated values; a formula without a calculated
    value and merged ranges are recorded in the :class:`Sheet` (see
    :func:`sheet_problems`) rather than read as empty.
    """
    import openpyxl
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    budget = budget if isinstance(budget, Budget) else Budget(budget or limits())
    lim = budget.limits
    damaged = [Problem("not-text", name, None, None, None, "The workbook cannot be opened (it is damaged or not an .xlsx file).",
                       "Open it in Excel and save it again as .xlsx.")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            problem = archive_problem(name, zf, budget, workbook=True)
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return [], damaged
    if problem:
        return [], [problem]
    budget.bytes += total
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        return [], [replace_message(damaged[0], f"The workbook cannot be opened ({type(exc).__name__}).")]

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            v = element.find(VALUE_TAG)
            empty = v is None or (not v.text and element.get("t", "n") not in ("str", "s", "inlineStr"))
            if cell["value"] is None and empty and element.find(FORMULA_TAG) is not None:
                self.uncached.append((cell["row"], cell["column"], element.findtext(FORMULA_TAG) or ""))
            return cell

    sheets: list[Sheet] = []
    try:
        if len(wb.sheetnames) > lim.max_sheets:
            return [], [too_large(name, f"The workbook has {len(wb.sheetnames):,} sheets, over the limit of {lim.max_sheets}", lim)]
        for ws in wb.worksheets:
            if not wanted(ws.title):
                continue
            sheet = Sheet(ws.title, f"{name} [{ws.title}]")
            with ws._get_source() as src:
                parser = Parser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
                parser.uncached = sheet.uncached
                for idx, cells in parser.parse():
                    if not cells:
                        continue
                    width = max(c["column"] for c in cells)
                    limit = budget.take_cells(sheet.label, width, idx)
                    if limit:
                        return [], [limit]
                    row = [""] * width
                    for c in cells:
                        row[c["column"] - 1] = unescape(cell_text(c["value"]))
                    while row and not row[-1].strip():
                        row.pop()
                    if row:
                        sheet.rows.append((idx, row))
                if parser.merged_cells is not None:
                    sheet.merged = _merged([str(m.ref) for m in parser.merged_cells.mergeCell], sheet.rows)
            sheets.append(sheet)
    except zipfile.BadZipFile:
        return [], damaged
    except Exception as exc:  # a damaged sheet: openpyxl and the XML parser raise many kinds
        return [], [replace_message(damaged[0], f"The workbook cannot be read ({type(exc).__name__}).")]
    finally:
        wb.close()
    return sheets, []


def replace_message(p: Problem, message: str) -> Problem:
    from dataclasses import replace

    return replace(p, message=message)


def _merged(ranges: list[str], rows: list[tuple[int, list[str]]]) -> list[tuple[int, int, str, str]]:
    from openpyxl.utils.cell import range_boundaries

    by_line = dict(rows)
    out = []
    for ref in ranges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if (min_col, min_row) == (max_col, max_row):
            continue
        cells = by_line.get(min_row, [])
        value = cells[min_col - 1] if min_col - 1 < len(cells) else ""
        out.append((min_row, max_row, ref, value))
    return out


def sheet_problems(sheet: Sheet, header_line: int, header: list[str]) -> list[Problem]:
    """Problems for what in a sheet would read as empty below (and in) its header row: merged ranges and
    formulas without a calculated value, one per range or cell."""
    from openpyxl.utils.cell import get_column_letter

    out: list[Problem] = []
    for row, col, formula in sheet.uncached:
        if row < header_line:
            continue
        column = header[col - 1].strip() if row > header_line and col - 1 < len(header) else None
        ref = f"{get_column_letter(col)}{row}"
        out.append(Problem(
            "formula-without-value", sheet.label, row, column or None, f"={formula}" if formula else "(shared formula)",
            f"Cell {ref} holds a formula but no calculated value (the workbook was not saved by a spreadsheet "
            "program after calculating), so it would be read as empty.",
            "Open the workbook in Excel or LibreOffice, let it calculate and save it again, or replace the formula by its value."))
    for first, last, ref, value in sheet.merged:
        if last <= header_line and first < header_line:
            continue  # a title banner above the header
        out.append(Problem(
            "merged-cells", sheet.label, first, None, value,
            f"The cells {ref} are merged: only the first holds the value \"{value}\", so the others would be read as empty.",
            "Unmerge the cells and fill the value into every row it belongs to (Excel: Merge & Center > Unmerge Cells)."))
    return out
