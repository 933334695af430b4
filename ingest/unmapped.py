"""The note `sovmap convert` leaves next to an inventory: the items of the source it could not import.

An inventory does not record what an import left out, so ``convert`` writes the
unmapped items (values it left empty, elements and relationships without a
counterpart) to ``<inventory>.unmapped.csv`` beside the folder, workbook or
archive; the analyses read how many there are for their coverage line. A later
conversion without such items removes the note. Columns kept as extra columns
are not counted: nothing of them was lost.

Examples
--------
>>> from pathlib import Path
>>> note_path(Path("out/zuiderwaard")), note_path(Path("out/zuiderwaard.xlsx"))
(PosixPath('out/zuiderwaard.unmapped.csv'), PosixPath('out/zuiderwaard.unmapped.csv'))
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .problems import Problem, problems_table
from .write import csv_bytes, neutralise

__all__ = ["UNMAPPED_RULES", "note_path", "write_note", "read_note", "carry_note"]

UNMAPPED_RULES = ("unmapped-value", "unmapped-element", "unmapped-relationship")
_HEADER = ["file", "line", "column", "value", "problem", "hint", "rule"]


def note_path(inventory: Path) -> Path:
    """Where the note of ``inventory`` (a folder, .xlsx or .zip) lies: beside it, named after it."""
    inventory = Path(inventory)
    name = inventory.stem if inventory.suffix.lower() in (".xlsx", ".zip") else inventory.name
    return inventory.parent / f"{name}.unmapped.csv"


def write_note(inventory: Path, problems: list[Problem]) -> Path | None:
    """Write the unmapped items among ``problems`` beside ``inventory``; remove an old note when there are none."""
    path = note_path(inventory)
    rows = [r for r in problems_table([p for p in problems if p.rule in UNMAPPED_RULES])]
    if not rows:
        path.unlink(missing_ok=True)
        return None
    table = [_HEADER] + [[neutralise("" if r[k] is None else r[k]) for k in _HEADER] for r in rows]
    path.write_bytes(csv_bytes(table))
    return path


def read_note(inventory: Path | None) -> int | None:
    """How many unmapped items the note beside ``inventory`` lists; None when there is no readable note."""
    if inventory is None:
        return None
    path = note_path(Path(inventory))
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0] != _HEADER:
        return None
    return len(rows) - 1


def carry_note(source: Path, target: Path) -> Path | None:
    """Copy the note of ``source`` beside ``target``, an inventory written from it (``suppliers match --apply``).

    What the import left out stays true of every inventory made from it; a stale
    note beside ``target`` is removed when ``source`` has none.
    """
    src, dst = note_path(Path(source)), note_path(Path(target))
    if src.resolve() == dst.resolve():
        return dst if dst.exists() else None
    try:
        data = src.read_bytes()
    except OSError:
        dst.unlink(missing_ok=True)
        return None
    dst.write_bytes(data)
    return dst
