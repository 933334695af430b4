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

import csv
import gc
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sovmap.ontology.vocab import DEPENDENCY, normalise_token, vocabulary

from .limits import _MIB, MAX_FILE_BYTES, Budget, Limits, _size, archive_problem, limits, too_compressed, too_large
from .csvtext import RowStream, _TextRows, text_rows
from .problems import Problem
from .workbook import Sheet, sheet_problems, workbook_sheets

__all__ = ["RawTable", "LazyRead", "Limits", "limits", "read_path", "path_files", "read_files", "file_kind", "gc_paused", "MAX_FILE_BYTES",
           "text_rows", "Sheet", "workbook_sheets", "sheet_problems", "too_large"]


csv.field_size_limit(16 * 1024 * 1024)

_TABULAR = (".csv", ".tsv", ".txt")


@dataclass
class RawTable:
    """One inventory file as text: its header and its rows with their line numbers (a list, or for a
    CSV file of an upload read by :class:`LazyRead` a :class:`RowStream` to be read once)."""

    file: str  # the name shown to the user, e.g. "systemen.csv" or "inventaris.xlsx [systemen]"
    kind: str  # a kind id, or "dependency"
    header: list[str]
    rows: list[tuple[int, list[str]]] | RowStream = field(default_factory=list)


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


def _stream_table(name: str, kind: str, reader: _TextRows) -> RawTable | None:
    """The table of a CSV file whose rows are read as they are asked for; None when it cannot be read, and an
    empty table with an ``empty-file`` problem when it has no row (as :func:`_read_csv`)."""
    rows = iter(reader)
    header = next(rows, None)
    if not reader.ok:
        return None
    if header is None:
        reader.problems.append(Problem("empty-file", name, None, None, None, "The file is empty."))
        return RawTable(name, kind, [], [])
    return RawTable(name, kind, header[1], RowStream(rows))


def _read_csv(name: str, kind: str, data: bytes, budget: "Budget | None" = None) -> tuple[RawTable | None, list[Problem]]:
    rows, problems, ok = text_rows(name, data, budget)
    if not ok:
        return None, problems
    if not rows:
        return RawTable(name, kind, [], []), problems + [Problem("empty-file", name, None, None, None, "The file is empty.")]
    return RawTable(name, kind, rows[0][1], rows[1:]), problems


# --- workbooks --------------------------------------------------------------------------------


def _read_xlsx(name: str, data: bytes, budget: "Budget | None" = None) -> tuple[list[RawTable], list[Problem]]:
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


def _member_bytes(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, budget: Budget) -> tuple[bytes | None, Problem | None]:
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


def _read_zip(name: str, data: bytes, budget: "Budget | None" = None, depth: int = 1) -> tuple[list[RawTable], list[Problem]]:
    budget = budget or Budget(limits())
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
        problem = archive_problem(name, zf, budget, workbook=False)
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
            if too_compressed(info, lim):
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


def _read_one(name: str, data: bytes, budget: Budget, depth: int = 0) -> tuple[list[RawTable], list[Problem]]:
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
        from .convert import foreign_file  # an ArchiMate file gets the answer `sovmap convert` gives

        return [], [foreign_file(name, data) or _unknown_file(name)]
    table, p = _read_csv(name, kind, data, budget)
    return ([table] if table else []), p


@contextmanager
def gc_paused(*, long_lived: bool = False):
    """Pause the cyclic garbage collector while building millions of small objects that form no cycles.

    Collections triggered by the allocations alone cost about as much as the
    work itself on a national inventory; the previous state is restored.

    With ``long_lived``, what was built is kept for long (an inventory, a
    graph): when the collector is enabled again, every object it tracks is
    counted in its oldest generation at once (``gc.freeze()`` and
    ``gc.unfreeze()``, which move them without looking at them) instead of
    being walked by the young collection that re-enabling it would start at
    once (about a second per ten million objects). Nothing is lost: cycles
    among them are freed by the next full collection.

    Use it as ``with gc_paused():`` or as a decorator ``@gc_paused()``.

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> with gc_paused(long_lived=True):
    ...     kept = [[]]
    >>> any(o is kept for o in gc.get_objects(generation=2)), gc.isenabled()
    (True, True)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if long_lived and not gc.get_freeze_count():  # never unfreeze what someone else froze
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@gc_paused()
def read_files(files: Iterable[tuple[str, bytes]], *, limits: Limits | None = None) -> tuple[list[RawTable], list[Problem]]:
    """Read uploaded files (name, bytes): CSV files, .zip archives or .xlsx workbooks, within ``limits``
    (:func:`limits` by default) for all of them together."""
    budget = Budget(limits or Limits.from_env())
    tables: list[RawTable] = []
    problems: list[Problem] = []
    for name, data in files:
        t, p = _read_one(name, data, budget)
        tables.extend(t)
        problems.extend(p)
    return tables, problems


class LazyRead:
    """Uploaded text files read one at a time, in the order the caller asks for, each table let go once used.

    A file's bytes may be given as a function that reads them (``Path.read_bytes``): then they too are
    held only while that file is read.

    For plain CSV/TSV files only (:meth:`possible`); workbooks and archives are read at once by
    :func:`read_files`. The limits are the same: should one be reached (:attr:`over_limit`), the caller
    reads again with :func:`read_files`, so that the problem names the file that crosses the limit in
    upload order.

    >>> r = LazyRead([("systems.csv", b"id,name\\nSYS-1,Mail\\n"), ("notes.txt", b"x")])
    >>> r.possible(), r.kinds
    (True, ['system', None])
    >>> [list(t.rows) for t in r.tables([0])]  # the rows of a CSV file are read as they are asked for
    [[(2, ['SYS-1', 'Mail'])]]
    >>> [(t.file, t.rows) for t in r.finish()[0]], [p.rule for p in r.finish()[1]]
    ([('systems.csv', [])], ['unknown-file'])
    """

    def __init__(self, files: Iterable[tuple[str, bytes | Callable[[], bytes]]], *,
                 limits: Limits | None = None) -> None:
        self.files = list(files)
        self.budget = Budget(limits or Limits.from_env())
        self.kinds = [None if _container(name) else file_kind(name) for name, _ in self.files]
        self._over_limit = False
        self._readers: list[_TextRows] = []
        self._problems: list[list[Problem]] = [[] for _ in self.files]
        self._read: list[RawTable | None] = [None] * len(self.files)  # each table read, without its rows
        for i, kind in enumerate(self.kinds):
            if kind is None and not _container(self.files[i][0]):
                self._take(i)  # not part of the inventory: named in a problem, its bytes counted

    def possible(self) -> bool:
        """Whether every file is a text file (no workbook or archive)."""
        return not any(_container(name) for name, _ in self.files)

    def tables(self, order: Iterable[int]) -> Iterator[RawTable]:
        """The tables of the files at these positions, read one at a time; stops at a limit."""
        for i in order:
            if self.over_limit:
                return
            table = self._take(i)
            if self.over_limit:
                return
            if table is not None:
                yield table
            del table  # held only by the caller until it asks for the next

    def finish(self) -> tuple[list[RawTable], list[Problem]]:
        """The tables read (headers only) and the problems of reading, both in upload order."""
        return [t for t in self._read if t is not None], [p for ps in self._problems for p in ps]

    @property
    def over_limit(self) -> bool:
        """Whether a limit was reached, or a file broke off after some of its rows were given."""
        return self._over_limit or any(r.broken for r in self._readers)

    def _take(self, i: int) -> RawTable | None:
        name, data = self.files[i]
        data = data() if callable(data) else data
        kind = self.kinds[i]
        if kind is not None:  # a CSV file of the inventory: its rows are read as they are checked
            problem = self.budget.take_bytes(name, len(data))
            if problem:
                self._problems[i], self._over_limit = [problem], True
                return None
            reader = _TextRows(name, data, self.budget)
            del data
            self._readers.append(reader)
            self._problems[i] = reader.problems  # filled as the rows are read
            t = _stream_table(name, kind, reader)
            if t is not None:
                self._read[i] = RawTable(t.file, t.kind, t.header)
            return t
        tables, problems = _read_one(name, data, self.budget)
        self._problems[i] = problems
        if any(p.rule == "too-large" for p in problems):
            self._over_limit = True
        if not tables:
            return None
        t = tables[0]
        self._read[i] = RawTable(t.file, t.kind, t.header)
        return t


def _container(name: str) -> bool:
    return name.lower().endswith((".zip", ".xlsx", ".xlsm"))


def read_path(path: str | Path, *, limits: Limits | None = None) -> tuple[list[RawTable], list[Problem]]:
    """Read an inventory folder, .zip or .xlsx (or a single CSV file) from disk; sizes are checked before reading."""
    lim = limits or Limits.from_env()
    files, problems = path_files(path, limits=lim)
    if problems:
        return [], problems
    return read_files(((x.name, x.read_bytes()) for x in files), limits=lim)  # one file's bytes at a time


def path_files(path: str | Path, *, limits: Limits | None = None) -> tuple[list[Path], list[Problem]]:
    """The files :func:`read_path` reads (a folder's inventory files, sorted, or the one file), or the
    problem that stops it before anything is read: no such path, or files over the size limit."""
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
    return files, []
