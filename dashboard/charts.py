"""The overview's charts (Altair, drawn by Streamlit's bundled Vega: no external resources).

Examples
--------
>>> rows = [{"kind": "system", "level": "not_in_control", "count": 3}]
>>> chart = level_chart(rows, "nl")
>>> chart.to_dict()["data"]["values"][0]["niveau"]
'niet in controle'
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import altair as alt

from sovmap.graph.levels import level_label

from . import palette
from .i18n import country_label, kinds_label, t
from .figures import LEVELS

__all__ = ["level_chart", "level_legend_html", "groups_chart", "jurisdiction_chart"]


def _bar_height(n: int) -> int:
    return max(110, 36 * n + 36)


def _count_axis() -> alt.Axis:
    """A count axis in whole steps (no 0.2, 0.4, ... for small counts)."""
    return alt.Axis(format="d", tickMinStep=1)


def _label_axis() -> alt.Axis:
    """A bar's label axis that labels every bar: Vega would otherwise drop labels it finds too close."""
    return alt.Axis(labelLimit=260, labelOverlap=False)


def level_chart(rows: Sequence[dict], lang: str) -> alt.Chart:
    """Stacked bars: per kind, how many items are at each level of control."""
    kind_col, level_col, count_col = t("col.kind", lang), t("col.level", lang), t("col.count", lang)
    data = [{kind_col: kinds_label(r["kind"], lang), level_col: level_label(r["level"], lang), count_col: r["count"],
             "order": LEVELS.index(r["level"])} for r in rows]
    kinds = list(dict.fromkeys(d[kind_col] for d in data))
    scale = alt.Scale(domain=[level_label(lv, lang) for lv in LEVELS], range=[palette.LEVEL[lv] for lv in LEVELS])
    return (alt.Chart(alt.Data(values=data))
            .mark_bar()
            .encode(y=alt.Y(f"{kind_col}:N", sort=kinds, title=None, axis=_label_axis()),
                    x=alt.X(f"{count_col}:Q", title=None, stack="zero", axis=_count_axis()),
                    color=alt.Color(f"{level_col}:N", scale=scale, legend=None),
                    order=alt.Order("order:Q"),
                    tooltip=[f"{kind_col}:N", f"{level_col}:N", f"{count_col}:Q"])
            .properties(height=_bar_height(len(kinds))))


def level_legend_html(lang: str) -> str:
    """One legend for the three level charts (our own words only)."""
    return '<div style="font-size:0.85rem">' + "".join(
        f'<span style="margin-right:16px;white-space:nowrap"><span style="display:inline-block;width:11px;'
        f'height:11px;border-radius:2px;background:{palette.LEVEL[lv]};margin-right:5px"></span>'
        f"{escape(level_label(lv, lang))}</span>" for lv in LEVELS) + "</div>"


_VERDICT_WORD = {True: "european", False: "non_european", None: "ownership_unknown"}


def groups_chart(rows: Sequence[dict], lang: str) -> alt.Chart:
    """Bars: the supplier groups whose loss stops most processes, red when not European, grey when ownership unknown."""
    name, n, where = t("col.name", lang), t("overview.failed_processes", lang), t("col.european", lang)
    vh, sys_, countries = t("overview.failed_vital_high", lang), kinds_label("system", lang), t("col.countries", lang)
    data = [{name: r["name"] or r["supplier_group"], n: r["failed_processes"], vh: r["failed_vital_high"],
             sys_: r["failed_systems"], countries: ", ".join(r["countries"]) or "?",
             where: t(_VERDICT_WORD[r["european"]], lang)} for r in rows]
    scale = alt.Scale(domain=[t(_VERDICT_WORD[v], lang) for v in (True, False, None)],
                      range=[palette.EUROPEAN[v] for v in (True, False, None)])
    return (alt.Chart(alt.Data(values=data))
            .mark_bar()
            .encode(y=alt.Y(f"{name}:N", sort=[d[name] for d in data], title=None, axis=_label_axis()),
                    x=alt.X(f"{n}:Q", axis=_count_axis()),
                    color=alt.Color(f"{where}:N", scale=scale, legend=alt.Legend(orient="bottom", title=None)),
                    tooltip=[f"{name}:N", f"{countries}:N", f"{n}:Q", f"{vh}:Q", f"{sys_}:Q"])
            .properties(height=_bar_height(len(data))))


def jurisdiction_chart(rows: Sequence[dict], lang: str) -> alt.Chart:
    """Stacked bars: per jurisdiction outside the EU/EEA, the processes, data sets and systems within its reach."""
    where, kind_col, count_col = t("col.country", lang), t("col.kind", lang), t("col.count", lang)
    laws = t("overview.laws", lang)
    data = [{where: country_label(r["country"], lang), kind_col: kinds_label(r["kind"], lang),
             count_col: r["count"], laws: ", ".join(r["laws"]) or "–"} for r in rows]
    kinds = ("process", "dataset", "system")
    scale = alt.Scale(domain=[kinds_label(k, lang) for k in kinds], range=[palette.KIND[k] for k in kinds])
    y = alt.Y(f"{where}:N", sort=list(dict.fromkeys(d[where] for d in data)), title=None, axis=_label_axis())
    base = alt.Chart(alt.Data(values=data))
    totals_of: dict[str, int] = {}
    for d in data:
        totals_of[d[where]] = totals_of.get(d[where], 0) + d[count_col]
    room = alt.Scale(domain=[0, max(totals_of.values(), default=1) * 1.08])  # room for the longest bar's total
    bars = (base.mark_bar()
            .encode(y=y, x=alt.X(f"{count_col}:Q", title=None, axis=_count_axis(), scale=room),
                    color=alt.Color(f"{kind_col}:N", scale=scale, legend=alt.Legend(orient="bottom", title=None)),
                    tooltip=[f"{where}:N", f"{kind_col}:N", f"{count_col}:Q", f"{laws}:N"]))
    # Every bar says its total at its end, also the short ones (GB, CA) whose segments are too small to read.
    totals = (base.mark_text(align="left", dx=4, color=palette.INK)
              .encode(y=y, x=alt.X(f"sum({count_col}):Q", scale=room),
                      text=alt.Text(f"sum({count_col}):Q", format="d")))
    return alt.layer(bars, totals).properties(height=_bar_height(len({d[where] for d in data})))
