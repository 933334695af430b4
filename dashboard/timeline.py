"""The roadmap's rows, filters and charts (Altair, drawn by Streamlit's bundled Vega): no Streamlit here.

The plan comes from :func:`sovmap.graph.roadmap.plan`; these functions only put it in the reader's language.

Examples
--------
>>> plan = {"today": "2026-01-01", "in_control_before": [1, 4], "phases": [
...     {"period": 2026, "start": "2026-01-01", "end": "2026-12-31", "in_control": [2, 4], "risk_after": 8,
...      "actions": [{"key": "replace:S", "kind": "replace", "target": "S", "systems": [], "effort": 3,
...                   "earliest": None, "waits_for": [], "risk_removed": 64, "text": "", "start": "2026-01-01",
...                   "dimensions": ["operational"], "items": [], "steps": []}]}], "contracts": []}
>>> [(r["period"], r["kind"], r["dimensions"]) for r in action_rows(plan, None, "nl")]
[('2026', 'Leverancier vervangen', 'operationeel')]
>>> [(p["date"], p["period"], p["in_control"]) for p in curve_points(plan, "en")]
[('2026-01-01', 'now', 1), ('2026-12-31', '2026', 2)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import altair as alt
import networkx as nx

from sovmap.graph.levels import dimension_label, reason_text

from .i18n import t
from .tables import name_of

__all__ = ["KINDS", "action_rows", "filter_rows", "roadmap_columns", "organisations", "curve_points",
           "timeline_chart", "curve_chart"]

KINDS = ("replace", "exit", "move", "contract_law")
_COLOURS = {"replace": "#c62828", "exit": "#ef6c00", "move": "#1565c0", "contract_law": "#6a1b9a"}


def _organisations_of(g: nx.MultiDiGraph | None, items: Iterable[str]) -> list[str]:
    """The organisations the items belong to (ids)."""
    if g is None:
        return []
    return sorted({o for i in items if i in g for _, o, rel in g.out_edges(i, keys=True) if rel == "belongs_to"})


def action_rows(plan: dict, g: nx.MultiDiGraph | None, lang: str) -> list[dict]:
    """One row per planned action, in the plan's order, its texts in ``lang``; ``*_ids`` keep the ids to filter on."""
    rows = []
    for p in plan["phases"]:
        for a in p["actions"]:
            orgs = _organisations_of(g, a.get("items", ()))
            steps = [reason_text({**s, "closes": True}, lang) for s in a.get("steps", ())]
            rows.append({
                "period": str(p["period"]), "start": a.get("start") or p["start"], "end": p["end"],
                "kind": t(f"roadmap.kind.{a['kind']}", lang), "kind_id": a["kind"],
                "target": name_of(g, a["target"], lang) if g is not None else a["target"], "target_id": a["target"],
                "action": " ".join(steps) or a["text"],
                "dimensions": ", ".join(dimension_label(d, lang) for d in a.get("dimensions", ())),
                "dimension_ids": list(a.get("dimensions", ())),
                "organisations": ", ".join(name_of(g, o, lang) for o in orgs), "organisation_ids": orgs,
                "waits_for": ", ".join(a["waits_for"]),
                "notice_by": (a["earliest"] or "") + "".join(
                    " " + t("roadmap.renews_first", lang, contract=r["contract"], date=r["notice_missed"])
                    for r in a.get("renews_first", ())),
                "effort": a["effort"], "risk_removed": a["risk_removed"]})
    return rows


def filter_rows(rows: Sequence[dict], dimensions: Iterable[str] = (), organisations: Iterable[str] = ()) -> list[dict]:
    """The rows with any of ``dimensions`` and any of ``organisations`` (an empty choice keeps every row)."""
    dims, orgs = set(dimensions), set(organisations)
    return [r for r in rows if (not dims or dims & set(r["dimension_ids"]))
            and (not orgs or orgs & set(r["organisation_ids"]))]


def organisations(rows: Sequence[dict]) -> list[str]:
    """The organisation ids the rows name, in order."""
    return sorted({o for r in rows for o in r["organisation_ids"]})


def roadmap_columns(lang: str) -> list[tuple[str, str]]:
    """(row key, shown header) of the roadmap table and its downloads."""
    keys = ("period", "start", "kind", "target", "action", "dimensions", "organisations", "waits_for", "notice_by",
            "effort", "risk_removed")
    return [(k, t(f"roadmap.col.{k}", lang)) for k in keys]


def curve_points(plan: dict, lang: str) -> list[dict]:
    """The vital/high processes without a gap: now, and at the end of each period."""
    n, of = plan["in_control_before"]
    points = [{"date": plan["today"], "in_control": n, "of": of, "period": t("roadmap.now", lang)}]
    for p in plan["phases"]:
        n, of = p["in_control"]
        points.append({"date": p["end"], "in_control": n, "of": of, "period": str(p["period"])})
    return points


def timeline_chart(rows: Sequence[dict], contracts: Sequence[dict], lang: str) -> alt.LayerChart:
    """A Gantt-style chart: each action a bar from its start to the end of its period, the contract ends as rules."""
    label, kind, start, end = (t("roadmap.col.target", lang), t("roadmap.col.kind", lang), t("roadmap.col.start", lang),
                               t("roadmap.period_end", lang))
    period, why = t("roadmap.col.period", lang), t("roadmap.col.waits_for", lang)
    data = [{label: f"{r['target']} · {r['kind']}", kind: r["kind"], start: r["start"], end: r["end"],
             period: r["period"], why: r["waits_for"] or "–"} for r in rows]
    scale = alt.Scale(domain=[t(f"roadmap.kind.{k}", lang) for k in KINDS], range=[_COLOURS[k] for k in KINDS])
    bars = (alt.Chart(alt.Data(values=data)).mark_bar(cornerRadius=3)
            .encode(y=alt.Y(f"{label}:N", sort=[d[label] for d in data], title=None,
                            axis=alt.Axis(labelLimit=320, labelOverlap=False)),
                    x=alt.X(f"{start}:T", title=None), x2=f"{end}:T",
                    color=alt.Color(f"{kind}:N", scale=scale, legend=alt.Legend(orient="bottom", title=None)),
                    tooltip=[f"{label}:N", f"{period}:N", f"{start}:T", f"{why}:N"]))
    shown = {w.strip() for r in rows for w in r["waits_for"].split(",") if w.strip()}
    name, ends = t("roadmap.contract", lang), t("roadmap.contract_end", lang)
    marks = [{name: c["name"] or c["id"], ends: c["end_date"]} for c in contracts if c["id"] in shown and c["end_date"]]
    rules = (alt.Chart(alt.Data(values=marks)).mark_rule(strokeDash=[4, 3], color="#555")
             .encode(x=f"{ends}:T", tooltip=[f"{name}:N", f"{ends}:T"]))
    return alt.layer(bars, rules).properties(height=max(120, 22 * len(data) + 40))


def curve_chart(plan: dict, lang: str) -> alt.Chart:
    """A step line: how many vital/high processes have no gap left, now and after each period (never down)."""
    when, n = t("roadmap.col.period", lang), t("roadmap.in_control", lang)
    data = [{"date": p["date"], when: p["period"], n: p["in_control"]} for p in curve_points(plan, lang)]
    of = plan["in_control_before"][1]
    return (alt.Chart(alt.Data(values=data)).mark_line(point=True, interpolate="step-after", color="#2e7d32")
            .encode(x=alt.X("date:T", title=None),
                    y=alt.Y(f"{n}:Q", title=None, scale=alt.Scale(domain=[0, max(of, 1)]),
                            axis=alt.Axis(format="d", tickMinStep=1)),
                    tooltip=[f"{when}:N", f"{n}:Q"])
            .properties(height=220))
