"""`sovmap list PATH --kind ...`: the ids and names of one kind of item, to find the id a command asks for."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import networkx as nx
import typer

from sovmap.graph.model import nodes_of_kind

from .common import DemoOpt, JsonOpt, PathArg, emit_json, err, load_graph
from .texts import TextLangOpt, column_label, kinds_label, relation_label, t, value_label

__all__ = ["register", "item_rows"]


class Kind(str, Enum):
    system = "system"
    process = "process"
    dataset = "dataset"
    location = "location"
    supplier = "supplier"
    organisation = "organisation"
    contract = "contract"


# the main columns of each kind: node attributes, and relations whose target ids are shown (supplier, location...)
COLUMNS = {
    "system": (("type",), ("provided_by", "operated_by", "hosted_at")),
    "process": (("criticality",), ()),
    "dataset": (("classification", "personal_data"), ()),
    "location": (("country",), ("operated_by",)),
    "supplier": (("country",), ("owned_by",)),
    "organisation": (("type", "country"), ()),
    "contract": (("end_date", "notice_period"), ("contracted_from", "covers")),
}


def item_rows(g: nx.MultiDiGraph, kind: str) -> list[dict]:
    """One row per node of ``kind``: id, name, its main attributes and the ids its main relations point to.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("SYS-A", kind="system", name="Mail", type="saas")
    >>> g.add_node("S-X", kind="supplier", name="X B.V.", country="NL")
    >>> _ = g.add_edge("SYS-A", "S-X", key="provided_by")
    >>> item_rows(g, "system")
    [{'id': 'SYS-A', 'name': 'Mail', 'type': 'saas', 'provided_by': ['S-X'], 'operated_by': [], 'hosted_at': []}]
    """
    attrs, relations = COLUMNS[kind]
    rows = []
    for n in nodes_of_kind(g, kind):
        d = g.nodes[n]
        row = {"id": n, "name": d.get("name") or ""}
        row.update({a: d.get(a) for a in attrs})
        row.update({r: sorted({t for _, t, k in g.out_edges(n, keys=True) if k == r}) for r in relations})
        rows.append(row)
    return rows


def _cell(value) -> str:
    if isinstance(value, list):
        return ",".join(value) or "-"
    return "-" if value in (None, "") else str(value)


def print_table(rows: list[dict], columns: list[str], heads: list[str] | None = None) -> None:
    """Rows as aligned text, one per line, every column headed (``heads``, else the keys; empty cells as "-")."""
    cells = [[_cell(r[c]) for c in columns] for r in rows]
    heads = heads or columns
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths)).rstrip())
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


def _heading(kind: str, key: str, lang: str) -> str:
    """A column's heading: the inventory's column name in English, the ontology's Dutch label in Dutch."""
    if lang == "en":
        return key
    return relation_label(key, lang) if key in COLUMNS[kind][1] else column_label(kind, key, lang)


def _in_lang(kind: str, row: dict, lang: str) -> dict:
    """A row with its listed values (criticality, classification, ...) in ``lang``."""
    from sovmap.ontology.vocab import vocabulary

    out = dict(row)
    for key in COLUMNS[kind][0]:
        try:
            enum = vocabulary().kind(kind).column(key).enum
        except KeyError:
            enum = None
        if enum and out.get(key):
            out[key] = value_label(enum, out[key], lang)
    return out


def list_items(
    path: PathArg = None,
    kind: Annotated[Kind, typer.Option("--kind", "-k", help="Which items to list.", case_sensitive=False)] = Kind.system,
    demo: DemoOpt = False,
    lang: TextLangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """List the ids and names of one kind of item (systems, processes, ...), with its main columns."""
    lang = getattr(lang, "value", lang)
    g = load_graph(path, demo)
    rows = item_rows(g, kind.value)
    if json_:
        emit_json({"kind": kind.value, "items": rows})
    else:
        columns = list(rows[0]) if rows else ["id", "name"]
        print_table([_in_lang(kind.value, r, lang) if lang != "en" else r for r in rows], columns,
                    [_heading(kind.value, c, lang) for c in columns])
    err(t("list.count", lang, n=len(rows), kind=kind.value if lang == "en" else kinds_label(kind.value, lang).lower()))


def register(app: typer.Typer) -> None:
    app.command("list")(list_items)
