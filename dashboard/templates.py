"""Inventories to download: empty templates with a sheet that explains every column (from the vocabulary), and the demo.

Examples
--------
>>> rows = explanation_rows()
>>> rows[0][:4]
['file / bestand', 'column / kolom (en)', 'kolom (nl)', 'required / verplicht']
>>> crit = next(r for r in rows if r[1] == "criticality")
>>> crit[0], crit[2], crit[3], crit[6]
('processes / processen', 'kritikaliteit', 'no / nee', 'vital (vitaal) | high (hoog) | medium (midden) | low (laag)')
"""

from __future__ import annotations

import io
import zipfile

import networkx as nx

from sovmap.graph.model import build_graph
from sovmap.ingest.validate import load_files
from sovmap.ingest.write import csv_bytes, inventory_tables, xlsx_bytes, zip_bytes
from sovmap.ontology.vocab import Column, vocabulary
from sovmap.store import demo_files

from .i18n import t

__all__ = ["explanation_rows", "template_zip", "template_xlsx", "demo_zip", "demo_xlsx"]

EXPLANATION_HEADER = ["file / bestand", "column / kolom (en)", "kolom (nl)", "required / verplicht",
                      "meaning", "betekenis", "accepted values / toegestane waarden"]


def _meaning(col: Column, lang: str) -> str:
    v = vocabulary()
    if col.key == "id":
        return t("tpl.id", lang)
    if col.key == "name":
        return t("tpl.name", lang)
    if col.key in ("from_id", "to_id"):
        return t(f"tpl.{col.key}", lang)
    if col.key == "type" and col in v.dependency_columns:
        return t("tpl.dependency_type", lang)
    if col.key == "alternative_group":
        return t("tpl.alternative_group", lang)
    if col.key == "min_required":
        return t("tpl.min_required", lang)
    if col.enum:
        return t("tpl.enum", lang, label=col.label(lang))
    if col.country:
        return t("tpl.country", lang)
    if col.relation:
        rel = v.relation(col.relation)
        files = t("or", lang).join(v.kind(k).files[1 if lang == "nl" else 0] for k in rel.range)
        return t("tpl.reference", lang, files=files, relation=rel.label(lang))
    return col.label(lang)


def _accepted(col: Column) -> str:
    v = vocabulary()
    if col.enum:
        return " | ".join(f"{x.id} ({x.label('nl')})" for x in v.enum(col.enum).values)
    if col.key == "type" and col in v.dependency_columns:
        return " | ".join(f"{r.id} ({r.aliases[-1]})" if len(r.aliases) > 1 else r.id
                          for r in v.relations if r.dependency_type)
    if col.country:
        return "NL, DE, US, …"
    if col.integer:
        return "1, 2, 3, …"
    return ""


def explanation_rows() -> list[list[str]]:
    """The explanation sheet: every column of every file in English and Dutch, required or not, accepted values."""
    v = vocabulary()
    rows = [list(EXPLANATION_HEADER)]
    files = [(k.files, k.columns) for k in v.file_kinds] + [(v.dependency_files, v.dependency_columns)]
    for names, columns in files:
        for col in columns:
            rows.append([f"{names[0]} / {names[1]}", col.key, col.header("nl"),
                         "yes / ja" if col.required else "no / nee",
                         _meaning(col, "en"), _meaning(col, "nl"), _accepted(col)])
    return rows


def template_zip(lang: str) -> bytes:
    """A .zip of empty CSV files (header only) with the headers and file names in ``lang``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in inventory_tables(nx.MultiDiGraph(), lang).items():
            zf.writestr(f"sovmap-template/{name}.csv", csv_bytes(rows))
        zf.writestr("sovmap-template/uitleg-explanation.csv", csv_bytes(explanation_rows()))
    return buf.getvalue()


def template_xlsx(lang: str) -> bytes:
    """An .xlsx workbook with one empty sheet per inventory file and the explanation sheet."""
    return xlsx_bytes(inventory_tables(nx.MultiDiGraph(), lang), readme=explanation_rows())


def _demo_graph() -> nx.MultiDiGraph:
    inv, _ = load_files(demo_files())
    return build_graph(inv)


def demo_zip(lang: str) -> bytes:
    """The demo municipality as a .zip of CSV files, file names and headers in ``lang``."""
    return zip_bytes(_demo_graph(), lang=lang, folder="sovmap-demo")


def demo_xlsx(lang: str) -> bytes:
    """The demo municipality as an .xlsx workbook, sheet names and headers in ``lang``."""
    return xlsx_bytes(inventory_tables(_demo_graph(), lang), readme=explanation_rows())
