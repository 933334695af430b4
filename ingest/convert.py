"""Convert what users already have (a flat application list, an ArchiMate model, GEMMA data, an inventory) into a canonical inventory.

:func:`convert_path` recognises the source (:func:`detect_source`), runs its
importer, adds supplier rows for catalogue ids (``CAT-...``) and returns a
:class:`~sovmap.ingest.draft.Conversion`; ``.load()`` validates it like any
inventory.

================  ==============================================================================
source            recognised by
================  ==============================================================================
``inventory``     a folder, .zip or .xlsx holding inventory files or sheets (systems, suppliers ...),
                  or a CSV file named like one
``archimate``     an .xml file whose root is an ArchiMate exchange ``<model>``; a native Archi
                  ``.archimate`` file is recognised too, and refused with how to export it
``gemma``         a .json file, or a folder of .json files, holding Softwarecatalogus collections
``flat``          any other .csv or .xlsx: a list with one row per application
================  ==============================================================================

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "apps.csv").write_text("Applicatie,Leverancier\\nZaaksysteem,CAT-CENTRIC\\n")
>>> detect_source(folder / "apps.csv")
'flat'
>>> inv, problems = convert_path(folder / "apps.csv").load()
>>> inv.nodes["CAT-CENTRIC"].name, inv.nodes["CAT-CENTRIC"].attrs["country"]
('Centric', 'NL')
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .draft import Conversion
from .problems import Problem
from .read import file_kind, limits, read_path, too_large

__all__ = ["SOURCES", "FORMAT_NAMES", "detect_source", "convert_path", "foreign_file"]

SOURCES = ("flat", "archimate", "gemma", "inventory")

#: How messages name each source.
FORMAT_NAMES = {"flat": "a flat application list", "archimate": "an ArchiMate exchange file",
                "gemma": "GEMMA Softwarecatalogus data", "inventory": "an inventory"}

#: What each source must hold for anything to be imported.
_NEEDS = {
    "flat": "it has no row with an application name",
    "archimate": "it has no element sovmap imports",
    "gemma": ("no organisation, current use (gebruik) or offer in it could be imported (sovmap reads the collections "
              "organisaties, gebruik, voorzieningen, voorzieningaanbiedingen and leveranciersorganisaties)"),
    "inventory": "it holds no inventory files (organisations.csv, systems.csv, suppliers.csv ...)",
}


def foreign_file(name: str, data: bytes) -> Problem | None:
    """A problem saying what a file that is not an inventory file is and how to read it, or None.

    The dashboard's upload, which reads inventories only, and :func:`convert_path`
    give the same answer for an ArchiMate file: a native Archi model (``.archimate``)
    is refused with how to export an exchange file; an exchange file is to be
    converted first.

    >>> foreign_file("model.archimate", b'<archimate:model xmlns:archimate="http://www.archimatetool.com/archimate"/>').hint
    'In Archi, export it with File › Export › Model to Open Exchange File, and convert that .xml file.'
    >>> foreign_file("notes.txt", b"hello") is None
    True

    A flat application list (a column that names the application, as
    :func:`~sovmap.ingest.flatlist_fields.field_for` reads column names) is to
    be converted first as well:

    >>> foreign_file("applicaties.csv", b"Overzicht 2025;;\\nApplicatie;Leverancier\\nZaaksysteem;Centric\\n").message
    'This looks like an application list (column "Applicatie"), not an inventory file; it was not read here.'
    """
    from .archimate import native_archi_problem
    from .archimate_names import ARCHI_NATIVE_NS, EXCHANGE_NS

    head = data[:4096]
    convert_first = f"Convert it into an inventory first: sovmap convert {name} -o inventory (see docs/import.md)."
    if name.lower().endswith(".archimate") or ARCHI_NATIVE_NS.encode() in head:
        return native_archi_problem(name)
    if EXCHANGE_NS.encode() in head and b"<model" in head:
        return Problem("unknown-file", name, None, None, None,
                       "This is an ArchiMate exchange file, not an inventory file; it was not read here.", convert_first)
    column = _application_column(name, head)
    if column is not None:
        return Problem("unknown-file", name, None, None, None,
                       f'This looks like an application list (column "{column}"), not an inventory file; it was not '
                       "read here.",
                       convert_first)
    return None


def _application_column(name: str, head: bytes) -> str | None:
    """The column naming the application in a header row (one of the first ten lines, beside a column of another
    field of flat lists) of a CSV text, or None: then it does not look like a flat application list."""
    from .csvtext import text_rows
    from .flatlist_fields import field_for

    if not name.lower().endswith((".csv", ".tsv", ".txt")):
        return None
    rows, _, _ = text_rows(name, head[:head.rfind(b"\n") + 1] or head)  # whole lines only
    for _, cells in rows[:10]:
        fields = {field_for(c): c.strip() for c in reversed(cells)}  # the first column of a field
        if "application" in fields and len(fields.keys() - {None}) >= 2:  # the application and one more field
            return fields["application"]
    return None


def _xlsx_is_inventory(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > limits().max_bytes:
                return False  # the reader reports the size
            with zf.open(info) as f:
                text = f.read(info.file_size).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return False
    import re

    names = re.findall(r'<sheet [^>]*name="([^"]+)"', text)
    return any(file_kind(n) for n in names)


def detect_source(path: str | Path) -> str | None:
    """The kind of source at ``path`` (one of :data:`SOURCES`), or None when it is none of them."""
    from .gemma import looks_like_gemma

    p = Path(path)
    if p.is_dir():
        files = [x for x in p.iterdir() if x.is_file() and not x.name.startswith(".")]
        if any(x.suffix.lower() in (".csv", ".tsv", ".txt") and file_kind(x.name) for x in files):
            return "inventory"
        if any(x.suffix.lower() == ".json" for x in files):
            return "gemma"
        return None
    if not p.is_file():
        return None
    suffix = p.suffix.lower()
    if suffix == ".zip":
        return "inventory"
    if suffix in (".xml", ".archimate"):
        return "archimate"  # a native .archimate file is refused by the reader, with how to export it
    if suffix in (".json", ".xlsx", ".xlsm") and p.stat().st_size > limits().max_bytes:
        return "gemma" if suffix == ".json" else "flat"  # judged by its name; the reader reports the size
    if suffix == ".json":
        return "gemma" if looks_like_gemma(p.read_bytes()) else None
    if suffix in (".xlsx", ".xlsm"):
        return "inventory" if _xlsx_is_inventory(p.read_bytes()) else "flat"
    if suffix in (".csv", ".txt", ".tsv"):
        return "inventory" if file_kind(p.name) else "flat"
    return None


def convert_path(path: str | Path, source: str | None = None, *, mapping: dict | None = None, lang: str = "en",
                 sheet: str | None = None, catalogue=None) -> Conversion:
    """Convert the file or folder at ``path`` into canonical inventory tables.

    Parameters
    ----------
    path
        The source.
    source
        One of :data:`SOURCES`; detected when None.
    mapping
        Column corrections for flat lists, actors' roles for ArchiMate models
        (:func:`sovmap.ingest.flatlist.load_mapping`).
    lang
        ``nl`` or ``en``: the language of names sovmap makes up (stand-in processes and data sets).
    sheet
        The sheet of a flat list workbook to read.
    catalogue
        The supplier catalogue for ``CAT-...`` ids (the packaged one by default).
    """
    from .archimate import read_archimate
    from .flatlist import read_flatlist
    from .gemma import read_gemma
    from .matching import resolve_catalogue_ids

    p = Path(path)
    name = p.name or str(p)
    if not p.exists():
        return Conversion(str(path), source or "?", [], [Problem("no-inventory", str(path), None, None, None,
                                                                 "There is no file or folder with this name.", "Check the path.")])
    kind = source or detect_source(p)
    if kind is None:
        return Conversion(str(path), "?", [], [Problem(
            "unreadable-source", name, None, None, None, "sovmap cannot tell what kind of file this is.",
            "Convert accepts a flat application list (.xlsx or .csv), an ArchiMate exchange file (.xml), "
            "GEMMA Softwarecatalogus data (.json) or an inventory; name the kind with --from.")])
    lim = limits()
    sizes = [x.stat().st_size for x in (p.iterdir() if p.is_dir() else [p]) if x.is_file()]
    if kind != "inventory" and sum(sizes) > lim.max_bytes:
        return Conversion(name, kind, [], [too_large(name, f"The input is {sum(sizes):,} bytes, over the limit of "
                                                           f"{lim.megabytes()}", lim)])
    if kind == "flat":
        conv = read_flatlist(name, p.read_bytes(), mapping=mapping, lang=lang, sheet=sheet)
    elif kind == "archimate":
        conv = read_archimate(name, p.read_bytes(), lang=lang, mapping=mapping)
    elif kind == "gemma":
        files = sorted(x for x in p.iterdir() if x.suffix.lower() == ".json") if p.is_dir() else [p]
        conv = read_gemma([(x.name if not p.is_dir() else f"{p.name}/{x.name}", x.read_bytes()) for x in files], lang=lang)
    elif kind == "inventory":
        tables, problems = read_path(p)
        conv = Conversion(name, "inventory", tables, problems)
    else:
        raise ValueError(f"unknown source {kind!r}; expected one of {SOURCES}")
    tables, problems = resolve_catalogue_ids(conv.tables, catalogue)
    conv.tables = tables
    conv.problems.extend(problems)
    if not conv.tables and not any(p.severity == "error" for p in conv.problems):
        conv.problems.append(_nothing_imported(name, kind))
    return conv


def _nothing_imported(name: str, kind: str) -> Problem:
    """The error for a source read without error that yielded no inventory row: which format, and what it lacked."""
    return Problem("no-inventory", name, None, None, None,
                   f"Nothing was imported: {name} was read as {FORMAT_NAMES[kind]}, but {_NEEDS[kind]}.",
                   "Check that this is the file you meant, or name its kind with --from "
                   "(flat, archimate, gemma, inventory); docs/import.md shows what each needs.")
