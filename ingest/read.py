"""Read an inventory (folder, .zip, .xlsx or uploaded files) into tables of text cells.

Every cell is read as text; nothing is interpreted here. Files exported by
Dutch Excel load as they are: ``;`` or ``,`` delimited, UTF-8 with or without
BOM or Windows-1252, CRLF line ends.

Nothing is lost without a word and nothing unbounded is read:

- Input is bounded by :class:`Limits` (one setting, ``SOVMAP_MAX_INPUT_MB``):
  archives are checked from their headers (member count, total size,
  compression ratio, nesting), members are judged by name before they are
  decompressed and counted again while they are; workbooks by their parts'
  sizes, sheets and cells. Over a limit the input is refused with a
  ``too-large`` problem naming the file and the limit.
- Text is read as a stream. A file that is not UTF-8 is read as Windows-1252
  only when it plausibly is (``bad-encoding`` with the byte offset otherwise);
  a quoted value that swallows line breaks and delimiters is an
  ``unclosed-quote``.
- Workbook cells holding a formula without a calculated value, and merged
  cells, are reported per cell or range rather than read as empty.
- One apostrophe before ``= + - @``, TAB or CR is stripped: the one sovmap's
  writers (:mod:`sovmap.ingest.write`) put there against formula injection.

Examples
--------
>>> tables, problems = read_files([("Systemen.csv", b"id;naam\\r\\nSYS-1;Zaaksysteem\\r\\n")])
>>> t = tables[0]
>>> t.kind, t.header, t.rows
('system', ['id', 'naam'], [(2, ['SYS-1', 'Zaaksysteem'])])
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gc
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sovmap.ontology.vocab import DEPENDENCY, normalise_token, vocabulary

from .problems import Problem

__all__ = ["RawTable", "Limits", "limits", "read_path", "read_files", "file_kind", "gc_paused", "MAX_FILE_BYTES",
           "text_rows", "Sheet", "workbook_sheets", "sheet_problems", "too_large"]

_MIB = 1024 * 1024
MAX_FILE_BYTES = 512 * _MIB  # the default of Limits.max_bytes (kept for callers that import it)
csv.field_size_limit(16 * 1024 * 1024)
LIMIT_SETTING = "SOVMAP_MAX_INPUT_MB"
_TABULAR = (".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class Limits:
    """How much one read may take in; beyond a limit the input is refused with a message, never half read.

    One setting scales them: the environment variable ``SOVMAP_MAX_INPUT_MB``
    (default 512) sets :attr:`max_bytes` and, from it, :attr:`max_cells`.
    Sizes are counted uncompressed, over everything read in one go (all files
    of a folder or upload, every member of every .zip, every part of a
    workbook), checked from the archive's headers first and again while
    decompressing, so a header that lies does not help.

    >>> Limits.from_env({"SOVMAP_MAX_INPUT_MB": "64"}).max_bytes // (1024 * 1024)
    64
    >>> Limits.from_env({}).max_bytes == MAX_FILE_BYTES
    True
    """

    max_bytes: int = MAX_FILE_BYTES  # uncompressed bytes of all input of one read together
    max_members: int = 10_000  # files in the .zip archives of one read
    max_depth: int = 3  # a .zip inside a .zip inside a .zip
    max_ratio: int = 100  # uncompressed / compressed size of one archive member (over 1 MiB)
    max_cells: int = MAX_FILE_BYTES // 16  # CSV and workbook cells of one read
    max_sheets: int = 100  # sheets of one workbook

    @classmethod
    def from_env(cls, environ=None) -> "Limits":
        """The limits with ``SOVMAP_MAX_INPUT_MB`` applied (ignored when it is not a positive number)."""
        text = (os.environ if environ is None else environ).get(LIMIT_SETTING, "")
        try:
            mb = float(text)
        except ValueError:
            return cls()
        if not mb > 0 or mb == float("inf"):
            return cls()
        return cls(max_bytes=int(mb * _MIB), max_cells=max(1, int(mb * _MIB) // 16))

    def megabytes(self) -> str:
        return f"{self.max_bytes / _MIB:g} MB"


def limits() -> Limits:
    """The limits in force now (read from the environment on every call)."""
    return Limits.from_env()


def too_large(name: str, what: str, lim: Limits, *, line: int | None = None, value: str | None = None) -> Problem:
    """A ``too-large`` problem that names the file, what was over the limit and how to raise it."""
    return Problem("too-large", name, line, None, value, f"{what}; it was not read.",
                   f"Split the inventory into smaller files, or raise the limit with the environment variable "
                   f"{LIMIT_SETTING} (now {lim.megabytes()}) if the file is what you meant to give.")


class _Budget:
    """What one read has taken so far: bytes, archive members, cells."""

    def __init__(self, lim: Limits) -> None:
        self.limits = lim
        self.bytes = 0
        self.members = 0
        self.cells = 0

    def left(self) -> int:
        return self.limits.max_bytes - self.bytes

    def take_bytes(self, name: str, n: int) -> Problem | None:
        if n > self.left():
            return too_large(name, f"The input is {_size(self.bytes + n)} uncompressed, over the limit of "
                             f"{self.limits.megabytes()} for everything read at once", self.limits)
        self.bytes += n
        return None

    def take_cells(self, name: str, n: int, line: int | None) -> Problem | None:
        self.cells += n
        if self.cells > self.limits.max_cells:
            return too_large(name, f"The input has more than {self.limits.max_cells:,} cells, the limit that "
                             f"goes with {self.limits.megabytes()}", self.limits, line=line)
        return None


def _size(n: int) -> str:
    return f"{n / _MIB:,.1f} MB" if n >= _MIB else f"{n:,} bytes"


@dataclass
class RawTable:
    """One inventory file as text: its header and its rows with their line numbers."""

    file: str  # the name shown to the user, e.g. "systemen.csv" or "inventaris.xlsx [systemen]"
    kind: str  # a kind id, or "dependency"
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def file_kind(name: str) -> str | None:
    """The kind an inventory file holds, from its (English or Dutch) name, or None.

    >>> file_kind("Leveranciers.CSV"), file_kind("afhankelijkheden"), file_kind("notes.txt"), file_kind("systems.tsv")
    ('supplier', 'dependency', None, 'system')
    """
    stem = PurePosixPath(name).name
    if stem.lower().endswith(_TABULAR):
        stem = stem[:-4]
    token = normalise_token(stem)
    v = vocabulary()
    for k in v.file_kinds:
        if token in k.files:
            return k.id
    if token in v.dependency_files:
        return DEPENDENCY
    return None


_ESCAPED = ("=", "+", "-", "@", "\t", "\r")


def _unescape(cell: str) -> str:
    """Undo the apostrophe that spreadsheet-safe exports put before = + - @ TAB CR."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _ESCAPED else cell


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return len(sample) > 0 and control / len(sample) > 0.05


# --- text: encoding, delimiter, rows ------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_RUN = re.compile(rb"[\x80-\xff]{4}")  # four non-ASCII bytes in a row: not Western text in Windows-1252


def _utf8_error(data: bytes) -> int | None:
    """Offset of the first byte that is not valid UTF-8, or None; decodes in chunks to hold no copy of the text."""
    view = memoryview(data)
    pos, n, chunk = 0, len(data), 4 * _MIB
    while pos < n:
        part = view[pos:pos + chunk]
        final = pos + chunk >= n
        try:
            _, used = codecs.utf_8_decode(part, "strict", final)
        except UnicodeDecodeError as exc:
            return pos + exc.start
        if used == 0 and not final:
            chunk *= 2
            continue
        pos += used
    return None


def _plausibly_cp1252(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 read as Windows-1252 text: no bytes that Windows-1252 leaves undefined,
    no UTF-8 sequences (then it is a UTF-8 file with a damaged byte), and no run of four non-ASCII bytes
    (accented letters and symbols stand between ASCII letters in Dutch and English text).

    >>> _plausibly_cp1252("Café Zoë – €5 © ¤".encode("cp1252")), _plausibly_cp1252("Café".encode() + b"\\xff")
    (True, False)
    >>> _plausibly_cp1252(b"abc\\x81def"), _plausibly_cp1252(b"\\xa4\\xa6\\xa8\\xac")
    (False, False)
    """
    return not (_CP1252_UNDEFINED.search(data) or _UTF8_SEQUENCE.search(data) or _HIGH_RUN.search(data))


def _encoding(name: str, data: bytes) -> tuple[str | None, Problem | None]:
    """The encoding to read a text file with, or a problem naming the first byte that cannot be read."""
    bom = data.startswith(_BOM)
    bad = _utf8_error(data)
    if bad is None:
        return ("utf-8-sig" if bom else "utf-8"), None
    if not bom and _plausibly_cp1252(data):
        return "cp1252", None
    line = data.count(b"\n", 0, bad) + 1
    return None, Problem(
        "bad-encoding", name, line, None, f"0x{data[bad]:02X}",
        f"Byte {bad:,} (0x{data[bad]:02X}) is not valid UTF-8, and the file does not read as Windows-1252 text "
        "either; sovmap does not guess, so nothing of the file was read.",
        "Save the file again from Excel as 'CSV UTF-8 (door komma's gescheiden)', or fix the damaged character on this line.")


def _first_line(data: bytes, encoding: str) -> str:
    """The first line with text (looked for in the first MiB), decoded."""
    pos, n = 0, min(len(data), _MIB)
    while pos < n:
        end = data.find(b"\n", pos, n)
        end = n if end < 0 else end
        line = data[pos:end].decode(encoding, errors="replace")
        if line.strip().strip("\ufeff"):
            return line
        pos = end + 1
    return ""


def _delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _swallowed(cells: list[str], delimiter: str, width: int) -> str | None:
    """The value that spans lines and holds what looks like whole rows (a quote that is not closed), or None."""
    need = max(1, width - 1)
    for c in cells:
        if "\n" in c or "\r" in c:
            inner = c.splitlines()[1:]
            if any(ln.count(delimiter) >= need for ln in inner):
                return c
    return None


def text_rows(name: str, data: bytes, budget: "_Budget | Limits | None" = None) -> tuple[list[tuple[int, list[str]]], list[Problem], bool]:
    """The non-blank rows (line, cells) of a CSV/TSV text, the problems found, and whether it could be read.

    The text is read as a stream (never split whole in memory). A file that is
    not UTF-8 is read as Windows-1252 only when it plausibly is; a quoted value
    that swallows line breaks and delimiters is reported with its lines.

    >>> text_rows("s.csv", b'id,name\\nS-1,"Mail\\nS-2,Web\\n')[1][0].rule
    'unclosed-quote'
    """
    budget = budget if isinstance(budget, _Budget) else _Budget(budget or limits())
    if _looks_binary(data):
        return [], [Problem("not-text", name, None, None, None, "This is not a text (CSV) file.",
                            "Save the sheet from Excel as 'CSV (gescheiden door lijstscheidingsteken)' or upload the .xlsx workbook.")], False
    encoding, problem = _encoding(name, data)
    if problem:
        return [], [problem], False
    delimiter = _delimiter(_first_line(data, encoding))
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    escaped = any(b"'" + m.encode() in data for m in _ESCAPED)  # fast path: most files need no unescaping
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    last, width, max_cells = 0, 0, budget.limits.max_cells
    try:
        for cells in reader:
            start = last + 1
            last = reader.line_num
            if not (cells and cells[0].strip()) and not any(c.strip() for c in cells):
                continue
            if len(rows) < 10:
                width = max(width, len(cells))
            if last > start:  # the record ran over line breaks
                value = _swallowed(cells, delimiter, width)
                if value is not None:
                    problems.append(_unclosed(name, start, last, value, delimiter))
            if escaped:
                cells = [_unescape(c) for c in cells]
            budget.cells += len(cells)
            if budget.cells > max_cells:
                return [], [budget.take_cells(name, 0, start)], False
            rows.append((start, cells))
    except csv.Error as exc:
        return [], [Problem("not-text", name, last + 1, None, None,
                            f"The file cannot be read as CSV ({exc}).",
                            "Check for an unclosed quote (\") in or before this line.")], False
    if rows and rows[-1][1] and rows[-1][1][-1].endswith(("\n", "\r")) and not data.rstrip().endswith(b'"'):
        start, cells = rows[-1]  # a quote opened in the last row that never closes: the value runs to the end
        if not any(p.rule == "unclosed-quote" and p.line == start for p in problems):
            problems.append(_unclosed(name, start, last, cells[-1], delimiter, at_end=True))
    return rows, problems, True


def _unclosed(name: str, start: int, last: int, value: str, delimiter: str, *, at_end: bool = False) -> Problem:
    short = " ".join(value.split())
    end = max(last, start + value.rstrip("\r\n").count("\n"))
    runs = "to the end of the file" if at_end else f"to line {end}"
    return Problem("unclosed-quote", name, start, None, short[:60] + ("…" if len(short) > 60 else ""),
                   f"A quoted value that opens on line {start} runs {runs} and holds {value.count(delimiter)} "
                   f'"{delimiter}": its quote (") is probably not closed, so the rows after it are read as part of one value.',
                   'Close the quote (") where the value ends, or remove it.')


def _read_csv(name: str, kind: str, data: bytes, budget: "_Budget | None" = None) -> tuple[RawTable | None, list[Problem]]:
    rows, problems, ok = text_rows(name, data, budget)
    if not ok:
        return None, problems
    if not rows:
        return RawTable(name, kind, [], []), problems + [Problem("empty-file", name, None, None, None, "The file is empty.")]
    return RawTable(name, kind, rows[0][1], rows[1:]), problems


# --- workbooks --------------------------------------------------------------------------------

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


@dataclass
class Sheet:
    """One worksheet as text rows, plus what would otherwise read as empty: merged ranges and uncalculated formulas."""

    title: str
    label: str  # "book.xlsx [title]"
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    merged: list[tuple[int, int, str, str]] = field(default_factory=list)  # (first row, last row, range, top-left value)
    uncached: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, formula)


def _archive_problem(name: str, zf: zipfile.ZipFile, budget: _Budget, *, workbook: bool) -> Problem | None:
    """Check an archive's headers (member count, total size, compression ratio) before anything is decompressed."""
    lim = budget.limits
    infos = zf.infolist()
    if budget.members + len(infos) > lim.max_members:
        return too_large(name, f"The archive has {len(infos):,} members, over the limit of {lim.max_members:,}", lim)
    if not workbook:
        return None
    total = sum(i.file_size for i in infos)
    if total > budget.left():
        return too_large(name, f"The workbook is {_size(total)} uncompressed, over the limit of {lim.megabytes()}", lim)
    for i in infos:
        if _too_compressed(i, lim):
            return too_large(name, f"The part {i.filename} is compressed {i.file_size // max(i.compress_size, 1):,} "
                             f"times, more than the {lim.max_ratio} sovmap accepts (a \"zip bomb\")", lim)
    return None


def _too_compressed(info: zipfile.ZipInfo, lim: Limits) -> bool:
    return info.file_size > _MIB and info.file_size > lim.max_ratio * max(info.compress_size, 1)


def workbook_sheets(name: str, data: bytes, budget: "_Budget | Limits | None" = None,
                    wanted=lambda title: True) -> tuple[list[Sheet], list[Problem]]:
    """The sheets of an .xlsx workbook whose title ``wanted`` accepts, read as text within the limits.

    Cells are read as their calculated values; a formula without a calculated
    value and merged ranges are recorded in the :class:`Sheet` (see
    :func:`sheet_problems`) rather than read as empty.
    """
    import openpyxl
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    budget = budget if isinstance(budget, _Budget) else _Budget(budget or limits())
    lim = budget.limits
    damaged = [Problem("not-text", name, None, None, None, "The workbook cannot be opened (it is damaged or not an .xlsx file).",
                       "Open it in Excel and save it again as .xlsx.")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            problem = _archive_problem(name, zf, budget, workbook=True)
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
                        row[c["column"] - 1] = _unescape(_cell_text(c["value"]))
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


def _read_xlsx(name: str, data: bytes, budget: "_Budget | None" = None) -> tuple[list[RawTable], list[Problem]]:
    problems: list[Problem] = []
    unknown: list[str] = []

    def wanted(title: str) -> bool:
        if file_kind(title) is None:
            unknown.append(title)
            return False
        return True

    sheets, p = workbook_sheets(name, data, budget, wanted)
    problems.extend(_unknown_file(f"{name} [{title}]") for title in unknown)
    problems.extend(p)
    tables: list[RawTable] = []
    for sheet in sheets:
        header_line, header = sheet.rows[0] if sheet.rows else (1, [])
        problems.extend(sheet_problems(sheet, header_line, header))
        tables.append(RawTable(sheet.label, file_kind(sheet.title), header, sheet.rows[1:]))
    return tables, problems


def _unknown_file(name: str) -> Problem:
    v = vocabulary()
    expected = ", ".join(k.files[0] for k in v.file_kinds) + ", " + v.dependency_files[0]
    return Problem("unknown-file", name, None, None, None,
                   "This file is not part of the inventory and was not read.",
                   f"Inventory files are named {expected} (or their Dutch names).")


# --- archives ---------------------------------------------------------------------------------

def _skipped(path: PurePosixPath) -> bool:
    return "__MACOSX" in path.parts or path.name.startswith(".")


def _member_bytes(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, budget: _Budget) -> tuple[bytes | None, Problem | None]:
    """Decompress one member while counting: stop at its declared size or the budget, whichever is smaller."""
    lim = budget.limits
    cap = min(info.file_size, budget.left())
    chunks, n = [], 0
    with zf.open(info) as f:
        while True:
            chunk = f.read(_MIB)
            if not chunk:
                break
            n += len(chunk)
            if n > cap:
                what = (f"The member decompresses to more than its header says ({_size(info.file_size)})"
                        if n > info.file_size else
                        f"The input is over {lim.megabytes()} uncompressed, the limit for everything read at once")
                return None, too_large(label, what, lim)
            chunks.append(chunk)
    budget.bytes += n
    return b"".join(chunks), None


def _read_zip(name: str, data: bytes, budget: "_Budget | None" = None, depth: int = 1) -> tuple[list[RawTable], list[Problem]]:
    budget = budget or _Budget(limits())
    lim = budget.limits
    if depth > lim.max_depth:
        return [], [too_large(name, f"The .zip is nested in other .zip files more than {lim.max_depth} deep", lim)]
    damaged = Problem("not-text", name, None, None, None, "The .zip file is damaged or not a zip file.",
                      "Make the .zip again from the inventory folder.")
    try:
        count = _declared_members(data)
        if count is not None and budget.members + count > lim.max_members:
            return [], [too_large(name, f"The archive has {count:,} members, over the limit of {lim.max_members:,}", lim)]
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return [], [damaged]
    tables: list[RawTable] = []
    problems: list[Problem] = []
    with zf:
        problem = _archive_problem(name, zf, budget, workbook=False)
        if problem:
            return [], [problem]
        todo = []
        for info in zf.infolist():
            path = PurePosixPath(info.filename)
            if info.is_dir() or _skipped(path):
                continue
            budget.members += 1
            label = f"{name}/{info.filename}"
            lower = path.name.lower()
            if not (lower.endswith((".zip", ".xlsx", ".xlsm")) or file_kind(path.name)):
                problems.append(_unknown_file(label))  # judged by its name, never decompressed
                continue
            todo.append((info, label))
        declared = sum(i.file_size for i, _ in todo)
        if declared > budget.left():
            return [], [too_large(name, f"The archive's files are {_size(declared)} uncompressed, over the limit of "
                                  f"{lim.megabytes()} for everything read at once", lim)]
        for info, label in todo:
            if _too_compressed(info, lim):
                return [], [too_large(label, f"The file is compressed {info.file_size // max(info.compress_size, 1):,} "
                                      f"times, more than the {lim.max_ratio} sovmap accepts (a \"zip bomb\")", lim)]
        for info, label in todo:
            try:
                member, problem = _member_bytes(zf, info, label, budget)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
                return [], [Problem("not-text", label, None, None, None,
                                    f"This file in the .zip is damaged and cannot be read ({_reason(exc)}).",
                                    "Make the .zip again from the inventory folder.")]
            if problem:
                return [], [problem]
            t, p = _read_one(label, member, budget, depth)
            tables.extend(t)
            problems.extend(p)
    return tables, problems


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:80]}" if text else type(exc).__name__


def _declared_members(data: bytes) -> int | None:
    """The member count the archive's end record declares (read before the member list is parsed)."""
    try:
        end = zipfile._EndRecData(io.BytesIO(data))
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    return None if not end else end[zipfile._ECD_ENTRIES_TOTAL]


def _read_one(name: str, data: bytes, budget: _Budget, depth: int = 0) -> tuple[list[RawTable], list[Problem]]:
    lower = name.lower()
    if lower.endswith(".zip"):
        return _read_zip(name, data, budget, depth + 1)
    if lower.endswith((".xlsx", ".xlsm")):
        if depth > 0:
            budget.bytes -= len(data)  # counted again, uncompressed, by the workbook reader
        return _read_xlsx(name, data, budget)
    if depth == 0:
        problem = budget.take_bytes(name, len(data))
        if problem:
            return [], [problem]
    kind = file_kind(name)
    if kind is None:
        return [], [_unknown_file(name)]
    table, p = _read_csv(name, kind, data, budget)
    return ([table] if table else []), p


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
def read_files(files: Iterable[tuple[str, bytes]], *, limits: Limits | None = None) -> tuple[list[RawTable], list[Problem]]:
    """Read uploaded files (name, bytes): CSV files, .zip archives or .xlsx workbooks, within ``limits``
    (:func:`limits` by default) for all of them together."""
    budget = _Budget(limits or Limits.from_env())
    tables: list[RawTable] = []
    problems: list[Problem] = []
    for name, data in files:
        t, p = _read_one(name, data, budget)
        tables.extend(t)
        problems.extend(p)
    return tables, problems


def read_path(path: str | Path, *, limits: Limits | None = None) -> tuple[list[RawTable], list[Problem]]:
    """Read an inventory folder, .zip or .xlsx (or a single CSV file) from disk; sizes are checked before reading."""
    lim = limits or Limits.from_env()
    p = Path(path)
    if not p.exists():
        return [], [Problem("no-inventory", str(path), None, None, None,
                            "There is no file or folder with this name.", "Check the path.")]
    if p.is_dir():
        files = sorted(x for x in p.iterdir() if x.is_file() and not x.name.startswith("."))
        files = [x for x in files if x.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".zip", ".tsv", ".txt")]
    else:
        files = [p]
    total = 0
    for x in files:
        total += x.stat().st_size
        if total > lim.max_bytes:
            return [], [too_large(str(x), f"The input is over {lim.megabytes()} (the files read so far add up to "
                                  f"{_size(total)})", lim)]
    return read_files(((x.name, x.read_bytes()) for x in files), limits=lim)  # one file's bytes at a time
