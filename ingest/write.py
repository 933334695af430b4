"""Write an inventory (from a graph) as CSV files, a .zip or an .xlsx workbook, in English or Dutch.

Every cell a spreadsheet would run as a formula (beginning with = + - @, TAB
or CR), headers included, is written with a leading apostrophe, by every
writer here (CSV and .xlsx); the reader strips one apostrophe before those
characters again, so our own files read back as written. Negative numbers
are escaped too (``'-5``): a formula can start with ``-``.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("S-1", kind="supplier", name="=HYPERLINK()", country="US")
>>> tables = inventory_tables(g, lang="nl")
>>> tables["leveranciers"][0][:6]
['id', 'naam', 'land', 'moederbedrijf', 'lei', 'land_hoofdkantoor']
>>> tables["leveranciers"][1][:5]
['S-1', "'=HYPERLINK()", 'US', '', '']
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from pathlib import Path

import networkx as nx

from sovmap.graph.model import edge_rows
from sovmap.ontology.vocab import vocabulary

__all__ = ["neutralise", "inventory_tables", "write_csv_folder", "csv_bytes", "zip_bytes", "xlsx_bytes"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """Text safe to open in a spreadsheet: a leading = + - @ TAB or CR is escaped with an apostrophe.

    Applying it twice changes nothing more.

    >>> neutralise("=1+1"), neutralise("Mail"), neutralise(None), neutralise("\\tx"), neutralise(neutralise("-5"))
    ("'=1+1", 'Mail', '', "'\\tx", "'-5")
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _value_text(col, value, lang: str) -> str:
    if value is None:
        return ""
    if col is not None and col.enum:
        ev = vocabulary().enum(col.enum).get(value)
        return ev.label("nl") if lang == "nl" else ev.id
    return str(value)


def inventory_tables(g: nx.MultiDiGraph, lang: str = "en") -> dict[str, list[list[str]]]:
    """The inventory files of a graph: file name (without .csv) → header row + data rows."""
    v = vocabulary()
    # Which edges can be written in a node's own reference column (one required edge per column).
    column_rel = {(k.id, c.relation): c for k in v.kinds for c in k.columns if c.relation}
    out_edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    # One dependencies row per meaning of an edge: required, and each group it is a member of.
    dependency_rows: list[tuple[str, str, str, str | None, int | None]] = []
    to_country = {r.id for r in v.country_relations()}
    co_owners: dict[str, list[str]] = defaultdict(list)  # co_owner_ids cells: "S-A 50% | S-B"
    for u, t, rel, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        kind = g.nodes[u]["kind"]
        if rel in to_country:
            continue
        if rel == "co_owned_by":
            share = d.get("share")
            co_owners[u].append(t if share is None else f"{t} {float(share):g}%")
            continue
        for group, k in edge_rows(d):
            if group is None and (kind, rel) in column_rel:
                out_edges[u][rel].append(t)
            else:
                dependency_rows.append((u, rel, t, group, k))
    tables: dict[str, list[list[str]]] = {}
    for k in v.file_kinds:
        header = [c.header(lang) for c in k.columns]
        extras = sorted({a for n in g if g.nodes[n].get("kind") == k.id for a in g.nodes[n]}
                        - {c.key for c in k.columns} - {"kind", "country"} - {"name"})
        co_owner_extra = (k.id == "supplier" and "co_owner_ids" not in {c.key for c in k.columns}
                          and any(n in co_owners for n in g if g.nodes[n].get("kind") == k.id))
        if co_owner_extra:  # until the ontology has the column, write it as an extra one
            extras.append("co_owner_ids")
        rows = [[neutralise(x) for x in header + extras]]
        for n in sorted(x for x in g if g.nodes[x].get("kind") == k.id):
            d = g.nodes[n]
            row = []
            for c in k.columns:
                if c.key == "id":
                    row.append(n)
                elif c.key == "co_owner_ids":
                    row.append(" | ".join(co_owners.get(n, [])))
                elif c.relation and c.cell_format == "id_list":  # a list of ids in one cell (contracts' system_ids)
                    row.append(" | ".join(out_edges[n].get(c.relation, [])))
                elif c.relation:
                    targets = out_edges[n].get(c.relation, [])
                    row.append(targets[0] if targets else "")
                    for extra in targets[1:]:
                        dependency_rows.append((n, c.relation, extra, None, None))
                elif c.country:
                    row.append(d.get(c.key) or "")
                else:
                    row.append(_value_text(c, d.get(c.key), lang))
            row += [" | ".join(co_owners.get(n, [])) if x == "co_owner_ids" and co_owner_extra else str(d.get(x) or "")
                    for x in extras]
            rows.append([neutralise(x) for x in row])
        tables[k.files[1] if lang == "nl" else k.files[0]] = rows
    header = [c.header(lang) for c in v.dependency_columns]
    rows = [[neutralise(x) for x in header]]
    for u, rel, t, group, k in dependency_rows:
        implied = v.implied_relation(g.nodes[u]["kind"], g.nodes[t]["kind"])
        r = v.relation(rel)
        type_text = "" if implied is not None and implied.id == rel else (
            r.aliases[-1] if lang == "nl" and len(r.aliases) > 1 else rel)
        row = {"from_id": u, "to_id": t, "type": type_text, "alternative_group": group or "",
               "min_required": str(k) if group else ""}
        rows.append([neutralise(row[c.key]) for c in v.dependency_columns])
    tables[v.dependency_files[1] if lang == "nl" else v.dependency_files[0]] = rows
    return tables


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8", crlf: bool = False) -> bytes:
    """CSV text of ``rows``, every cell neutralised (:func:`neutralise`)."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n").writerows(
        [neutralise(x) for x in row] for row in rows)
    return buf.getvalue().encode(encoding, errors="replace")


def write_csv_folder(g: nx.MultiDiGraph, folder: str | Path, *, lang: str = "en", dutch_excel: bool = False) -> list[Path]:
    """Write the inventory as CSV files; ``dutch_excel`` writes ``;``, Windows-1252 and CRLF like Dutch Excel."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in inventory_tables(g, lang).items():
        p = folder / f"{name}.csv"
        if dutch_excel:
            p.write_bytes(csv_bytes(rows, delimiter=";", encoding="cp1252", crlf=True))
        else:
            p.write_bytes(csv_bytes(rows))
        written.append(p)
    return written


def zip_bytes(g: nx.MultiDiGraph, *, lang: str = "en", folder: str = "inventory") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in inventory_tables(g, lang).items():
            zf.writestr(f"{folder}/{name}.csv", csv_bytes(rows))
    return buf.getvalue()


def xlsx_bytes(tables: dict[str, list[list[str]]], *, readme: list[list[str]] | None = None) -> bytes:
    """An .xlsx workbook with one sheet per table, plus an optional explanation sheet.

    Every cell is written as neutralised text (:func:`neutralise`); characters
    a workbook cannot hold (control characters) become U+FFFD.
    """
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(x: object) -> str:
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise(x))

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(title=name[:31])
        for row in rows:
            ws.append([cell(x) for x in row])
    if readme:
        ws = wb.create_sheet(title="uitleg-explanation")
        for row in readme:
            ws.append([cell(x) for x in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
