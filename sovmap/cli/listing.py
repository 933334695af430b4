"""`sovmap list PATH --kind ...`: the ids and names of one kind of item, to find the id a command asks for."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import networkx as nx
import typer

from sovmap.graph.model import nodes_of_kind

from .common import DemoOpt, JsonOpt, PathArg, emit_json, err, load_graph

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


def print_table(rows: list[dict], columns: list[str]) -> None:
    """Rows as aligned text, one per line, every column headed (empty cells as "-")."""
    cells = [[_cell(r[c]) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


def list_items(
    path: PathArg = None,
    kind: Annotated[Kind, typer.Option("--kind", "-k", help="Which items to list.", case_sensitive=False)] = Kind.system,
    demo: DemoOpt = False,
    json_: JsonOpt = False,
) -> None:
    """List the ids and names of one kind of item (systems, processes, ...), with its main columns."""
    g = load_graph(path, demo)
    rows = item_rows(g, kind.value)
    if json_:
        emit_json({"kind": kind.value, "items": rows})
    else:
        print_table(rows, list(rows[0]) if rows else ["id", "name"])
    err(f"{len(rows)} {kind.value}(s).")


def register(app: typer.Typer) -> None:
    app.command("list")(list_items)
