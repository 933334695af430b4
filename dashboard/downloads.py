"""Tables as CSV and Excel downloads: headers in the chosen language, every cell neutralised against formulas.

Examples
--------
>>> cols = [("name", "naam"), ("n", "aantal")]
>>> csv_download(cols, [{"name": "=SUM(A1)", "n": 3}], "nl").decode("utf-8-sig")
"naam;aantal\\r\\n'=SUM(A1);3\\r\\n"
"""

from __future__ import annotations

from collections.abc import Sequence

from sovmap.ingest.write import csv_bytes, neutralise, xlsx_bytes

__all__ = ["Columns", "table_rows", "csv_download", "xlsx_download"]

Columns = Sequence[tuple[str, str]]  # (key in the row dicts, header shown)


def _cell(value: object) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(x) for x in value)
    if isinstance(value, bool):
        value = "x" if value else ""
    return neutralise(value)


def table_rows(columns: Columns, rows: Sequence[dict]) -> list[list[str]]:
    """Header row and data rows, every cell text with a leading = + - @ neutralised."""
    return [[neutralise(h) for _, h in columns]] + [[_cell(r.get(k)) for k, _ in columns] for r in rows]


def csv_download(columns: Columns, rows: Sequence[dict], lang: str) -> bytes:
    """A CSV file as a spreadsheet in ``lang`` opens it: ``;`` for Dutch Excel, ``,`` for English; UTF-8 with BOM."""
    return csv_bytes(table_rows(columns, rows), delimiter=";" if lang == "nl" else ",",
                     encoding="utf-8-sig", crlf=True)


def xlsx_download(sheets: dict[str, tuple[Columns, Sequence[dict]]]) -> bytes:
    """An Excel workbook with one sheet per table (sheet name → (columns, rows))."""
    return xlsx_bytes({name: table_rows(cols, rows) for name, (cols, rows) in sheets.items()})
