"""Read an inventory (folder, .zip, .xlsx or uploaded files) into tables of text cells.

Every cell is read as text; nothing is interpreted here. Files exported by
Dutch Excel load as they are: ``;`` or ``,`` delimited, UTF-8 with or without
BOM or Windows-1252, CRLF line ends.

Examples
--------
>>> tables, problems = read_files([("Systemen.csv", b"id;naam\\r\\nSYS-1;Zaaksysteem\\r\\n")])
>>> t = tables[0]
>>> t.kind, t.header, t.rows
('system', ['id', 'naam'], [(2, ['SYS-1', 'Zaaksysteem'])])
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sovmap.ontology.vocab import DEPENDENCY, normalise_token, vocabulary

from .problems import Problem

__all__ = ["RawTable", "read_path", "read_files", "file_kind", "gc_paused", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 512 * 1024 * 1024
csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class RawTable:
    """One inventory file as text: its header and its rows with their line numbers."""

    file: str  # the name shown to the user, e.g. "systemen.csv" or "inventaris.xlsx [systemen]"
    kind: str  # a kind id, or "dependency"
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def file_kind(name: str) -> str | None:
    """The kind an inventory file holds, from its (English or Dutch) name, or None.

    >>> file_kind("Leveranciers.CSV"), file_kind("afhankelijkheden"), file_kind("notes.txt")
    ('supplier', 'dependency', None)
    """
    stem = PurePosixPath(name).name
    if stem.lower().endswith(".csv"):
        stem = stem[:-4]
    token = normalise_token(stem)
    v = vocabulary()
    for k in v.file_kinds:
        if token in k.files:
            return k.id
    if token in v.dependency_files:
        return DEPENDENCY
    return None


def _unescape(cell: str) -> str:
    """Undo the apostrophe that spreadsheet-safe exports put before = + - @."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@" else cell


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return len(sample) > 0 and control / len(sample) > 0.05


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(name: str, kind: str, data: bytes) -> tuple[RawTable | None, list[Problem]]:
    if _looks_binary(data):
        return None, [Problem("not-text", name, None, None, None,
                              "This is not a text (CSV) file.",
                              "Save the sheet from Excel as 'CSV (gescheiden door lijstscheidingsteken)' or upload the .xlsx workbook.")]
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    last = 0
    # A cell needs _unescape only if the text has an apostrophe before = + - @ (fast path for large files).
    escaped = any(mark in text for mark in ("'=", "'+", "'-", "'@"))
    try:
        for cells in reader:
            start = last + 1
            last = reader.line_num
            if not (cells and cells[0].strip()) and not any(c.strip() for c in cells):
                continue
            if escaped:
                cells = [_unescape(c) for c in cells]
            if header is None:
                header = cells
            else:
                rows.append((start, cells))
    except csv.Error as exc:
        problems.append(Problem("not-text", name, last + 1, None, None,
                                f"The file cannot be read as CSV ({exc}).",
                                "Check for an unclosed quote (\") in or before this line."))
        return None, problems
    if header is None:
        return RawTable(name, kind, [], []), [Problem("empty-file", name, None, None, None, "The file is empty.")]
    return RawTable(name, kind, header, rows), problems


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def _read_xlsx(name: str, data: bytes) -> tuple[list[RawTable], list[Problem]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        return [], [Problem("not-text", name, None, None, None,
                            f"The workbook cannot be opened ({type(exc).__name__}).",
                            "Open it in Excel and save it again as .xlsx.")]
    tables: list[RawTable] = []
    problems: list[Problem] = []
    try:
        for ws in wb.worksheets:
            kind = file_kind(ws.title)
            label = f"{name} [{ws.title}]"
            if kind is None:
                problems.append(_unknown_file(label))
                continue
            header: list[str] | None = None
            rows = []
            for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_unescape(_cell_text(v)) for v in values]
                while cells and not cells[-1].strip():
                    cells.pop()
                if not cells:
                    continue
                if header is None:
                    header = cells
                else:
                    rows.append((i, cells))
            tables.append(RawTable(label, kind, header or [], rows))
    finally:
        wb.close()
    return tables, problems


def _unknown_file(name: str) -> Problem:
    v = vocabulary()
    expected = ", ".join(k.files[0] for k in v.file_kinds) + ", " + v.dependency_files[0]
    return Problem("unknown-file", name, None, None, None,
                   "This file is not part of the inventory and was not read.",
                   f"Inventory files are named {expected} (or their Dutch names).")


def _read_zip(name: str, data: bytes) -> tuple[list[RawTable], list[Problem]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [], [Problem("not-text", name, None, None, None, "The .zip file is damaged or not a zip file.", "")]
    members = []
    with zf:
        for info in zf.infolist():
            path = PurePosixPath(info.filename)
            if info.is_dir() or "__MACOSX" in path.parts or path.name.startswith("."):
                continue
            if info.file_size > MAX_FILE_BYTES:
                return [], [Problem("not-text", f"{name}/{info.filename}", None, None, None,
                                    "The file is too large to read.", "")]
            members.append((f"{name}/{info.filename}", zf.read(info)))
    return read_files(members)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building millions of small objects that form no cycles.

    Collections triggered by the allocations alone cost about as much as the
    work itself on a national inventory; the previous state is restored.

    Use it as ``with gc_paused():`` or as a decorator ``@gc_paused()``.

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@gc_paused()
def read_files(files: list[tuple[str, bytes]]) -> tuple[list[RawTable], list[Problem]]:
    """Read uploaded files (name, bytes): CSV files, .zip archives or .xlsx workbooks."""
    tables: list[RawTable] = []
    problems: list[Problem] = []
    for name, data in files:
        lower = name.lower()
        if lower.endswith(".zip"):
            t, p = _read_zip(name, data)
        elif lower.endswith((".xlsx", ".xlsm")):
            t, p = _read_xlsx(name, data)
        else:
            kind = file_kind(name)
            if kind is None:
                t, p = [], [_unknown_file(name)]
            else:
                table, p = _read_csv(name, kind, data)
                t = [table] if table else []
        tables.extend(t)
        problems.extend(p)
    return tables, problems


def read_path(path: str | Path) -> tuple[list[RawTable], list[Problem]]:
    """Read an inventory folder, .zip or .xlsx (or a single CSV file) from disk."""
    p = Path(path)
    if not p.exists():
        return [], [Problem("no-inventory", str(path), None, None, None,
                            "There is no file or folder with this name.", "Check the path.")]
    if p.is_dir():
        files = sorted(x for x in p.iterdir() if x.is_file() and not x.name.startswith("."))
        return read_files([(x.name, x.read_bytes()) for x in files if x.suffix.lower() in (".csv", ".xlsx", ".zip")])
    return read_files([(p.name, p.read_bytes())])
