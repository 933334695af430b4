"""Uploading an inventory: validate, store as a new version when there are no errors, and report every problem.

Examples
--------
>>> import tempfile
>>> from sovmap.store import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> r = handle_upload(ws, [("systems.csv", b"id,name,supplier_id\\nSYS-1,Mail,S-9\\n")])
>>> r.stored, r.errors, ws.versions()
(False, 1, [])
>>> problem_rows(r.problems, "nl")[0]["severity"]
'fout'

The same files again make no new version:

>>> files = [("suppliers.csv", b"id,name,country\\nS-1,Kynthos,US\\n")]
>>> handle_upload(ws, files).version_id, handle_upload(ws, files).same_as, len(ws.versions())
('v0001', 'v0001', 1)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sovmap.ingest.problems import Problem, problems_table
from sovmap.store import Workspace

from .i18n import t

__all__ = ["UploadResult", "handle_upload", "problem_columns", "problem_rows", "copy_of"]


@dataclass(frozen=True)
class UploadResult:
    """What happened to one upload: the files, the version stored (if any) and every problem found."""

    files: list[tuple[str, int]]  # name and size in bytes
    version_id: str | None
    problems: list[Problem] = field(default_factory=list)
    same_as: str | None = None  # the version these files already are: nothing new was stored
    same_is_current: bool = False  # ... and that version is the current one

    @property
    def stored(self) -> bool:
        return self.version_id is not None and self.same_as is None

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


def handle_upload(ws: Workspace, files: list[tuple[str, bytes]],
                  progress: Callable[[str], None] = lambda step: None, label: str = "") -> UploadResult:
    """Validate ``files`` and store them as the workspace's new current version when they have no errors.

    Files that are exactly those of a stored version are not stored again: ``same_as`` names that version.
    ``label``: a name for the new version. ``progress`` is told each step ("read", "validate", "done")
    so a page can show it.
    """
    progress("read")
    sizes = [(name, len(data)) for name, data in files]
    same = ws.same_as(files)
    if same is not None and ws.check(same.id) is None:  # a damaged copy is no reason to refuse good files
        progress("done")
        current = ws.current()
        return UploadResult(sizes, same.id, same_as=same.id,
                            same_is_current=current is not None and current.id == same.id)
    progress("validate")
    version, problems = ws.add(files, label=label)
    progress("done")
    return UploadResult(sizes, version.id if version else None, problems)


_COPY = re.compile(r"^(?P<stem>.+?) \(\d+\)(?P<ext>\.[A-Za-z0-9]+)$")


def copy_of(name: str) -> str | None:
    """The name a file had before a browser or file manager made it "name (2).csv"; None for other names.

    >>> copy_of("systems (2).csv"), copy_of("systemen.csv")
    ('systems.csv', None)
    """
    m = _COPY.match(name.replace("\\", "/").split("/")[-1])
    return f"{m['stem']}{m['ext']}" if m else None


def problem_columns(lang: str) -> list[tuple[str, str]]:
    """The columns of the validation report, headers in ``lang``."""
    return [(k, t(f"problem.{k}", lang)) for k in ("severity", "file", "line", "column", "value", "problem", "hint")]


def problem_rows(problems: list[Problem], lang: str) -> list[dict]:
    """The validation report's rows, errors first, severity in ``lang``."""
    rows = problems_table(problems)
    for r in rows:
        r["severity"] = t(f"severity.{r['severity']}", lang)
        for k, v in r.items():
            if v is None:  # an empty cell, not the word "None"
                r[k] = ""
    return rows
