"""How much one read may take in: the limits, the running budget, and the problem for input over them.

Examples
--------
>>> print(too_large("big.csv", "The file is 2,048 bytes, over the limit of 1 MB", Limits()))  # doctest: +ELLIPSIS
big.csv: The file is 2,048 bytes, over the limit of 1 MB; it was not read. Split the inventory ... (now 512 MB) ...
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

from .problems import Problem

__all__ = ["Limits", "limits", "too_large", "Budget", "archive_problem", "too_compressed", "MAX_FILE_BYTES", "LIMIT_SETTING"]

_MIB = 1024 * 1024
MAX_FILE_BYTES = 512 * _MIB  # the default of Limits.max_bytes (kept for callers that import it)
LIMIT_SETTING = "SOVMAP_MAX_INPUT_MB"


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


class Budget:
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


def archive_problem(name: str, zf: zipfile.ZipFile, budget: Budget, *, workbook: bool) -> Problem | None:
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
        if too_compressed(i, lim):
            return too_large(name, f"The part {i.filename} is compressed {i.file_size // max(i.compress_size, 1):,} "
                             f"times, more than the {lim.max_ratio} sovmap accepts (a \"zip bomb\")", lim)
    return None


def too_compressed(info: zipfile.ZipInfo, lim: Limits) -> bool:
    return info.file_size > _MIB and info.file_size > lim.max_ratio * max(info.compress_size, 1)
