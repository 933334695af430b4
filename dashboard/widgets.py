"""Small pieces of layout that several pages share: tables with downloads, node choosers, the details panel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import networkx as nx
import pandas as pd
import streamlit as st

from sovmap.graph.impact import KIND_ORDER

from .downloads import Columns, csv_download, xlsx_download
from .i18n import kind_label, t
from .tables import name_of

__all__ = ["frame", "table", "column_config", "row_height", "WRAP_LINES", "table_with_downloads", "download_pair", "node_options",
           "LEVEL_BADGE"]

LEVEL_BADGE = {"in_control": "green", "partial": "orange", "not_in_control": "red", "unknown": "gray"}


def frame(columns: Columns, rows: Sequence[dict]) -> pd.DataFrame:
    """A DataFrame of ``rows`` with only ``columns``, headed by their shown names."""
    return pd.DataFrame([[r.get(k) for k, _ in columns] for r in rows], columns=[h for _, h in columns])


# Streamlit's table wraps text only in rows taller than 4rem; a row then holds up to WRAP_LINES lines.
WRAP_LINES = 8
_LINE_PX, _PAD_PX, _MIN_WRAP_PX = 20, 16, 70
_CHAR_PX = 7.2  # the table's average character width at its 14 px font
_NAMED_PX = {"small": 75, "medium": 200, "large": 400}  # Streamlit's named column widths


def column_config(columns: Columns, widths: Mapping[str, str | int]) -> dict:
    """Streamlit column settings: the widths (px, "small", "medium", "large") of the columns named in ``widths``.

    The full header is the column's tooltip, for a narrow column whose header does not fit.
    """
    return {header: st.column_config.Column(width=widths[k], help=header) for k, header in columns if k in widths}


def row_height(rows: Sequence[dict], widths: Mapping[str, str | int], wrap: Sequence[str]) -> int | None:
    """The row height that shows the longest text of the ``wrap`` columns on enough lines (at most WRAP_LINES).

    None (Streamlit's one-line rows) when every text fits on one line.

    >>> row_height([{"why": "x" * 50}], {"why": 400}, ["why"]) is None
    True
    >>> row_height([{"why": "x" * 150}], {"why": 400}, ["why"])
    76
    """
    lines = 1
    for k in wrap:
        per_line = max(1, int(_NAMED_PX.get(widths.get(k), widths.get(k) or 400) / _CHAR_PX) - 2)
        longest = max((len(str(r.get(k) or "")) for r in rows), default=0)
        lines = max(lines, min(WRAP_LINES, -(-longest // per_line)))
    return None if lines < 2 else max(_MIN_WRAP_PX, _LINE_PX * lines + _PAD_PX)


def table(columns: Columns, rows: Sequence[dict], *, widths: Mapping[str, str | int] | None = None,
          wrap: Sequence[str] = (), height: int | str = "auto") -> None:
    """A table whose key text is not cut off: set widths, and rows tall enough to wrap the ``wrap`` columns' text."""
    widths = widths or {}
    st.dataframe(frame(columns, rows), hide_index=True, height=height, column_config=column_config(columns, widths),
                 row_height=row_height(rows, widths, wrap))


def download_pair(stem: str, columns: Columns, rows: Sequence[dict], lang: str, *, sheet: str, key: str) -> None:
    """A CSV and an Excel download of the same table, side by side; files are built only when clicked."""
    left, right = st.columns(2, width=420)
    left.download_button(t("download.csv", lang), partial(csv_download, columns, rows, lang),
                         file_name=f"{stem}.csv", mime="text/csv", key=f"{key}-csv", on_click="ignore",
                         icon=":material/download:")
    right.download_button(t("download.xlsx", lang), partial(xlsx_download, {sheet: (columns, rows)}),
                          file_name=f"{stem}.xlsx", key=f"{key}-xlsx", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:")


def table_with_downloads(stem: str, columns: Columns, rows: Sequence[dict], lang: str, *, sheet: str,
                         key: str, height: int | str = "auto", widths: Mapping[str, str | int] | None = None,
                         wrap: Sequence[str] = ()) -> None:
    """A table (see :func:`table`) and its downloads."""
    table(columns, rows, widths=widths, wrap=wrap, height=height)
    download_pair(stem, columns, rows, lang, sheet=sheet, key=key)


def node_options(g: nx.MultiDiGraph, lang: str, kinds: tuple[str, ...] | None = None) -> tuple[list[str], dict[str, str]]:
    """Node ids for a chooser (by kind, then name) and their labels "name (id) · kind"."""
    ids = [n for n, k in g.nodes(data="kind") if kinds is None or k in kinds]
    ids.sort(key=lambda n: (KIND_ORDER.get(g.nodes[n]["kind"], 9), name_of(g, n, lang).lower(), n))
    return ids, {n: f"{name_of(g, n, lang)} ({n}) · {kind_label(g.nodes[n]['kind'], lang)}" for n in ids}
