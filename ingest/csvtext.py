"""Reading one CSV file's text: its encoding, its delimiter, and its rows one at a time with the problems found.

Part of :mod:`sovmap.ingest.read`: nothing here is ever silently lost (an unclosed quote, a byte that is not
text, a field that swallowed a line) and nothing is held whole that can be streamed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator

from .limits import _MIB, Budget, Limits, limits
from .problems import Problem
from .workbook import _ESCAPED
from .workbook import unescape as _unescape

__all__ = ["text_rows", "RowStream"]


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
    pos, n, chunk = 0, len(data), _MIB // 4
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


def _spanning(cells: list[str], delimiter: str, width: int) -> tuple[str, str] | None:
    """(rule, value) for a value that spans lines and probably holds rows of its own, or None.

    ``unclosed-quote``: a line inside the value holds a whole row's delimiters
    (a quote that is not closed swallowed the rows after it). Else
    ``quote-spans-rows``: a quote opened in one row and closed in the next
    reads the two rows as one record of the right width; what gives it away
    is that the record's first line (the cells before the value and the
    value's first line) and its last line (the value's last line and the
    cells after it) each hold a whole row's delimiters. A value that really
    spans lines can look the same when both its lines hold the delimiter, so
    that rule is a warning.

    >>> _spanning(["SYS-1", "Mail,S-1\\nSYS-2,Web,S-1\\nSYS-3,Zaak"], ",", 3)[0]
    'unclosed-quote'
    >>> _spanning(["SYS-1", "Mail,S-1\\nSYS-2,Web", "S-1"], ",", 3)
    ('quote-spans-rows', 'Mail,S-1\\nSYS-2,Web')
    >>> _spanning(["SYS-1", "Mail\\nserver", "S-1"], ",", 3) is None
    True
    """
    need = max(1, width - 1)
    spans = [(i, c, c.splitlines()) for i, c in enumerate(cells) if "\n" in c or "\r" in c]
    for _, c, lines in spans:
        if any(ln.count(delimiter) >= need for ln in lines[1:]):
            return "unclosed-quote", c
    for i, c, lines in spans:
        if i + lines[0].count(delimiter) >= need and lines[-1].count(delimiter) + len(cells) - 1 - i >= need:
            return "quote-spans-rows", c
    return None


def text_rows(name: str, data: bytes, budget: "Budget | Limits | None" = None) -> tuple[list[tuple[int, list[str]]], list[Problem], bool]:
    """The non-blank rows (line, cells) of a CSV/TSV text, the problems found, and whether it could be read.

    The text is read as a stream (never split whole in memory). A file that is
    not UTF-8 is read as Windows-1252 only when it plausibly is; a quoted value
    that swallows line breaks and delimiters is reported with its lines.

    >>> text_rows("s.csv", b'id,name\\nS-1,"Mail\\nS-2,Web\\n')[1][0].rule
    'unclosed-quote'
    """
    reader = _TextRows(name, data, budget)
    rows = list(reader)
    return (rows if reader.ok else []), reader.problems, reader.ok


class _TextRows:
    """The non-blank rows of a CSV/TSV text, each read as it is asked for (once).

    :attr:`problems` fills as the rows are read; the checks that need the whole file (a quote still open
    at its end) are made once the last row is read. Should the text break off (a CSV error, or the cell
    limit), the problems are that one problem, :attr:`ok` is false and :attr:`broken` true.
    """

    def __init__(self, name: str, data: bytes, budget: "Budget | Limits | None" = None) -> None:
        self.name, self.data = name, data
        self.budget = budget if isinstance(budget, Budget) else Budget(budget or limits())
        self.problems: list[Problem] = []
        self.ok, self.broken = True, False
        if _looks_binary(data):
            self._fail(Problem("not-text", name, None, None, None, "This is not a text (CSV) file.",
                               "Save the sheet from Excel as 'CSV (gescheiden door lijstscheidingsteken)' or upload the .xlsx workbook."))
            return
        self.encoding, problem = _encoding(name, data)
        if problem:
            self._fail(problem)

    def _fail(self, problem: Problem) -> None:
        self.problems[:] = [problem]
        self.ok, self.data = False, None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        if not self.ok:
            return
        name, data, budget, problems = self.name, self.data, self.budget, self.problems
        delimiter = _delimiter(_first_line(data, self.encoding))
        stream = io.TextIOWrapper(io.BytesIO(data), encoding=self.encoding, newline="")
        reader = csv.reader(stream, delimiter=delimiter)
        escaped = b"'" in data and any(b"'" + m.encode() in data for m in _ESCAPED)  # most files need no unescaping
        count, last, width, max_cells = 0, 0, 0, budget.limits.max_cells
        row = None
        try:
            for cells in reader:
                start = last + 1
                last = reader.line_num
                if not (cells and cells[0].strip()) and not any(c.strip() for c in cells):
                    continue
                if count < 10:
                    width = max(width, len(cells))
                if last > start:  # the record ran over line breaks
                    found = _spanning(cells, delimiter, width)
                    if found is not None:
                        rule, value = found
                        problems.append((_unclosed if rule == "unclosed-quote" else _merged_rows)(
                            name, start, last, value, delimiter))
                if escaped:
                    cells = [_unescape(c) for c in cells]
                budget.cells += len(cells)
                if budget.cells > max_cells:
                    self.broken = True
                    return self._fail(budget.take_cells(name, 0, start))
                count += 1
                row = (start, cells)
                yield row
        except csv.Error as exc:
            self.broken = True
            return self._fail(Problem("not-text", name, last + 1, None, None,
                                      f"The file cannot be read as CSV ({exc}).",
                                      "Check for an unclosed quote (\") in or before this line."))
        if row and row[1] and row[1][-1].endswith(("\n", "\r")) and not _ends_with_quote(data):
            start, cells = row  # a quote opened in the last row that never closes: the value runs to the end
            if not any(p.rule == "unclosed-quote" and p.line == start for p in problems):
                problems.append(_unclosed(name, start, last, cells[-1], delimiter, at_end=True))
        self.data = None


class RowStream:
    """The rows of one CSV file, read as they are iterated (once) rather than held: the header and the
    first row are read ahead, so that the stream is true when the file has a row.

    >>> r = iter(_TextRows("s.csv", b"id,name\\nS-1,A\\nS-2,B\\n"))
    >>> header = next(r)
    >>> rows = RowStream(r)
    >>> header, bool(rows), list(rows), list(rows)
    ((1, ['id', 'name']), True, [(2, ['S-1', 'A']), (3, ['S-2', 'B'])], [])
    """

    def __init__(self, rows: Iterator[tuple[int, list[str]]]) -> None:
        self._rows = rows
        self._first = next(rows, None)

    def __bool__(self) -> bool:
        return self._first is not None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        first, self._first = self._first, None
        if first is not None:
            yield first
            del first
            yield from self._rows


def _ends_with_quote(data: bytes) -> bool:
    """Whether the last character that is not white space is a quote (looked for without copying the text).

    >>> _ends_with_quote(b'a,"b"\\r\\n' + b" " * 9000), _ends_with_quote(b"a,b\\n"), _ends_with_quote(b"")
    (True, False, False)
    """
    end = len(data)
    while end > 0:
        tail = data[max(0, end - 4096):end].rstrip()
        if tail:
            return tail.endswith(b'"')
        end -= 4096
    return False


def _shown(value: str) -> str:
    """A value that spans lines as a problem shows it: on one line, its first 60 characters."""
    short = " ".join(value.split())
    return short[:60] + ("…" if len(short) > 60 else "")


def _merged_rows(name: str, start: int, last: int, value: str, delimiter: str) -> Problem:
    return Problem("quote-spans-rows", name, start, None, _shown(value),
                   f"A quoted value opens on line {start} and closes on line {last}, and both lines hold a whole "
                   f'row\'s "{delimiter}": they were read as one row, so the row on line {last} may be missing.',
                   f'If line {last} is a row of its own, close the quote (") on line {start} where its value ends; '
                   "if the value really runs over both lines, nothing needs to change.")


def _unclosed(name: str, start: int, last: int, value: str, delimiter: str, *, at_end: bool = False) -> Problem:
    end = max(last, start + value.rstrip("\r\n").count("\n"))
    runs = "to the end of the file" if at_end else f"to line {end}"
    return Problem("unclosed-quote", name, start, None, _shown(value),
                   f"A quoted value that opens on line {start} runs {runs} and holds {value.count(delimiter)} "
                   f'"{delimiter}": its quote (") is probably not closed, so the rows after it are read as part of one value.',
                   'Close the quote (") where the value ends, or remove it.')
