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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sovmap.ingest.problems import Problem, problems_table
from sovmap.store import Workspace

from .i18n import t

__all__ = ["UploadResult", "handle_upload", "problem_columns", "problem_rows"]


@dataclass(frozen=True)
class UploadResult:
    """What happened to one upload: the files, the version stored (if any) and every problem found."""

    files: list[tuple[str, int]]  # name and size in bytes
    version_id: str | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        return self.version_id is not None

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


def handle_upload(ws: Workspace, files: list[tuple[str, bytes]],
                  progress: Callable[[str], None] = lambda step: None) -> UploadResult:
    """Validate ``files`` and store them as the workspace's new current version when they have no errors.

    ``progress`` is told each step ("read", "validate", "done") so a page can show it.
    """
    progress("read")
    sizes = [(name, len(data)) for name, data in files]
    progress("validate")
    version, problems = ws.add(files)
    progress("done")
    return UploadResult(sizes, version.id if version else None, problems)


def problem_columns(lang: str) -> list[tuple[str, str]]:
    """The columns of the validation report, headers in ``lang``."""
    return [(k, t(f"problem.{k}", lang)) for k in ("severity", "file", "line", "column", "value", "problem", "hint")]


def problem_rows(problems: list[Problem], lang: str) -> list[dict]:
    """The validation report's rows, errors first, severity in ``lang``."""
    rows = problems_table(problems)
    for r in rows:
        r["severity"] = t(f"severity.{r['severity']}", lang)
    return rows
