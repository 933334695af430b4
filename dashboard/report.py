"""The board report (bestuurlijke rapportage): one self-contained, printable HTML page.

Pure: the analysis of a version in, an HTML string out. Charts are inline SVG,
styles are inline, and nothing is loaded from anywhere: the file can be mailed,
archived and printed as it is. Every value from the inventory is HTML-escaped.

Examples
--------
>>> print(svg_bars([("Kynthos <Cloud>", 12, "#d00000")], unit="proc."))  # doctest: +ELLIPSIS
<svg ...>...Kynthos &lt;Cloud&gt;...</svg>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import networkx as nx

from sovmap.graph.coverage import coverage, coverage_text
from sovmap.graph.levels import dimension_label, dimension_question, dimensions, level_label, reason_text

from . import palette
from .analysis import Analysis
from .escape import html_escape
from .figures import LEVELS, jurisdiction_rows, key_figures, level_matrix, non_european_spof, top_groups
from .i18n import country_label, kinds_label, t, value_label
from .tables import group_via, named
from .timeline import action_rows

__all__ = ["build_report", "svg_bars", "svg_stacked", "organisation_name"]

_W = 640  # chart width in px


def _e(value: object) -> str:
    return html_escape(value)


def _short(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def svg_bars(rows: Sequence[tuple[str, float, str]], *, unit: str = "", unit_one: str | None = None) -> str:
    """Horizontal bars (label, value, colour), the label left, the value and ``unit`` right of the bar.

    ``unit_one``: the unit after a value of 1 ("1 process", "2 processes"); room is left for "999 processen".
    """
    label_w, bar_w, row_h = 230, _W - 230 - 110, 26
    top = max((v for _, v, _ in rows), default=0) or 1
    h = row_h * len(rows) + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{h}" viewBox="0 0 {_W} {h}" '
           f'role="img" font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="12">']
    for i, (label, value, colour) in enumerate(rows):
        y = 4 + i * row_h
        w = max(1.0, bar_w * value / top)
        out.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" fill="{palette.INK}">'
                   f'<title>{_e(label)}</title>{_e(_short(label))}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" rx="3" fill="{colour}"/>')
        word = unit_one if value == 1 and unit_one is not None else unit
        out.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" fill="{palette.INK}">{_e(value)} {_e(word)}</text>')
    out.append("</svg>")
    return "".join(out)


def svg_stacked(rows: Sequence[tuple[str, Sequence[tuple[float, str, str]]]]) -> str:
    """Horizontal stacked bars: per row a label and segments (value, colour, title), scaled to the largest row.

    Wide segments show their value; every bar ends with its total, so a short bar is labelled too.
    """
    label_w, bar_w, row_h = 170, _W - 170 - 50, 28
    top = max((sum(v for v, _, _ in segs) for _, segs in rows), default=0) or 1
    h = row_h * len(rows) + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{h}" viewBox="0 0 {_W} {h}" '
           f'role="img" font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="12">']
    for i, (label, segs) in enumerate(rows):
        y = 4 + i * row_h
        out.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" fill="{palette.INK}">{_e(label)}</text>')
        x = float(label_w)
        for value, colour, title in segs:
            w = bar_w * value / top
            if w <= 0:
                continue
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}">'
                       f'<title>{_e(title)}: {_e(value)}</title></rect>')
            if w > 22:
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + 17}" text-anchor="middle" fill="#ffffff" '
                           f'font-weight="600">{_e(value)}</text>')
            x += w
        total = sum(v for v, _, _ in segs)
        out.append(f'<text x="{x + 6:.1f}" y="{y + 17}" fill="{palette.INK}">{_e(f"{total:g}")}</text>')
    out.append("</svg>")
    return "".join(out)


def _legend(items: Sequence[tuple[str, str]]) -> str:
    return '<p class="legend">' + "".join(
        f'<span><i style="background:{c}"></i>{_e(text)}</span>' for c, text in items) + "</p>"


def organisation_name(g: nx.MultiDiGraph) -> str:
    """The name of the top organisation(s) of the inventory (organisations that are part of no other)."""
    roots = [d.get("name") or n for n, d in g.nodes(data=True)
             if d.get("kind") == "organisation" and not any(k == "part_of" for _, _, k in g.out_edges(n, keys=True))]
    return ", ".join(sorted(roots))


_CSS = f"""
body {{ font-family: "Segoe UI", Helvetica, Arial, sans-serif; color: {palette.INK}; margin: 0; background: #f4f5f7; }}
main {{ max-width: 820px; margin: 0 auto; background: #fff; padding: 40px 56px; }}
h1 {{ font-size: 26px; margin: 0 0 4px; }} h2 {{ font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid #e3e6ea;
 padding-bottom: 4px; }} h3 {{ font-size: 15px; margin: 18px 0 2px; }}
.meta {{ color: {palette.MUTED}; font-size: 13px; margin: 0 0 20px; }}
.lead {{ font-size: 16px; line-height: 1.5; background: #fff4f4; border-left: 5px solid {palette.NON_EU};
 padding: 12px 16px; }}
.figures {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; margin: 12px 0; }}
.figure {{ border: 1px solid #e3e6ea; border-radius: 8px; padding: 10px 12px; }}
.figure b {{ display: block; font-size: 26px; }} .figure span {{ color: {palette.MUTED}; font-size: 12px; }}
.figure.alert b {{ color: {palette.NON_EU}; }}
.q {{ color: {palette.MUTED}; font-size: 13px; margin: 0 0 4px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 13px; }}
th, td {{ text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #e3e6ea; }}
th {{ background: #f4f5f7; }} .bad {{ color: {palette.NON_EU}; font-weight: 600; }}
ol li {{ margin-bottom: 8px; line-height: 1.45; }} .small {{ color: {palette.MUTED}; font-size: 12px; }}
.legend span {{ margin-right: 14px; font-size: 12px; white-space: nowrap; }}
.legend i {{ display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; }}
footer {{ margin-top: 36px; color: {palette.MUTED}; font-size: 12px; }}
@page {{ size: A4; margin: 16mm; }}
@media print {{ body {{ background: #fff; }} main {{ padding: 0; max-width: none; }}
 section {{ break-inside: avoid; }} }}
"""


def _figures(a: Analysis, lang: str) -> str:
    f = key_figures(a.summary["counts"], a.spof, a.ranking)
    boxes = [(f"{f.non_eu_spof} / {f.vital_high}", t("report.fig.spof", lang), True),
             (f"{f.non_eu_groups} / {f.groups}", t("overview.non_eu_groups", lang), f.non_eu_groups > 0)]
    boxes += [(str(f.counts[k]), kinds_label(k, lang), False) for k in ("process", "dataset", "system", "supplier")]
    return '<div class="figures">' + "".join(
        f'<div class="figure{" alert" if alert else ""}"><b>{_e(v)}</b><span>{_e(text)}</span></div>'
        for v, text, alert in boxes) + "</div>"


def _assessment(a: Analysis, lang: str) -> str:
    if a.assessment is None:
        return ""
    parts = [f"<section><h2>{_e(t('overview.assessment', lang))}</h2>"]
    for dim in dimensions():
        rows = level_matrix(a.assessment["items"], dim)
        kinds = list(dict.fromkeys(r["kind"] for r in rows))
        bars = [(kinds_label(k, lang), [(r["count"], palette.LEVEL[r["level"]], level_label(r["level"], lang))
                                        for r in rows if r["kind"] == k]) for k in kinds]
        parts.append(f"<h3>{_e(dimension_label(dim, lang).capitalize())}</h3>"
                     f'<p class="q">{_e(dimension_question(dim, lang))}</p>{svg_stacked(bars)}')
    parts.append(_legend([(palette.LEVEL[lv], level_label(lv, lang)) for lv in LEVELS]) + "</section>")
    return "".join(parts)


def _risks(a: Analysis, lang: str, top: int) -> str:
    hit = set(non_european_spof(a.spof))
    rows = [p for p in a.spof if p["id"] in hit][:top]
    if not rows:
        return f"<section><h2>{_e(t('report.risks', lang))}</h2><p>{_e(t('report.no_risks', lang))}</p></section>"

    def groups(p: dict) -> str:  # each group through the subsidiaries the process uses, with the owner behind them
        return "; ".join(group_via(a.g, p["id"], s, lang)
                         for s in p["single_points_of_failure"] if s["european"] is False)

    body = "".join(
        f"<tr><td>{_e(p['name'])}</td><td>{_e(value_label('criticality', p['criticality'], lang))}</td>"
        f"<td class=\"bad\">{_e(groups(p))}</td></tr>" for p in rows)
    return (f"<section><h2>{_e(t('report.risks', lang))}</h2><p>{_e(t('report.risks_help', lang))}</p>"
            f"<table><tr><th>{_e(t('report.col.process', lang))}</th><th>{_e(t('col.criticality', lang))}</th>"
            f"<th>{_e(t('report.col.groups', lang))}</th></tr>{body}</table></section>")


def _groups(a: Analysis, lang: str) -> str:
    rows = sorted(top_groups(a.ranking), key=lambda r: -r["failed_processes"])
    bars = [(f"{r['name']} ({', '.join(r['countries'])})", r["failed_processes"],
             palette.EUROPEAN[r["european"]]) for r in rows]
    legend = _legend([(palette.EU, t("european", lang)), (palette.NON_EU, t("non_european", lang)),
                      (palette.OWNERSHIP_UNKNOWN, t("ownership_unknown", lang))])
    return (f"<section><h2>{_e(t('overview.groups', lang))}</h2><p>{_e(t('overview.groups_help', lang))}</p>"
            f"{svg_bars(bars, unit=t('report.unit.processes', lang), unit_one=t('report.unit.process', lang))}"
            f"{legend}</section>")


def _coverage(a: Analysis, lang: str) -> str:
    """What the report rests on, in plain words."""
    return (f"<section><h2>{_e(t('report.coverage', lang))}</h2>"
            f"<p>{_e(coverage_text(a.coverage or coverage(a.g), 'overview', lang))}</p></section>")


def _jurisdictions(a: Analysis, lang: str) -> str:
    if a.assessment is None:
        return ""
    rows = jurisdiction_rows(a.assessment["items"])
    if not rows:
        return ""
    codes = list(dict.fromkeys(r["country"] for r in rows))
    kinds = ("process", "dataset", "system")
    bars = [(country_label(c, lang), [(r["count"], palette.KIND[r["kind"]], kinds_label(r["kind"], lang))
                                      for r in rows if r["country"] == c]) for c in codes]
    laws = {law["id"]: law["name"] for i in a.assessment["items"] for law in i["legal"].get("laws", [])}
    law_list = "".join(f"<li>{_e(name)}</li>" for _, name in sorted(laws.items()))
    return (f"<section><h2>{_e(t('overview.jurisdictions', lang))}</h2>"
            f"<p>{_e(t('overview.jurisdictions_help', lang))}</p>{svg_stacked(bars)}"
            f"{_legend([(palette.KIND[k], kinds_label(k, lang)) for k in kinds])}"
            + (f"<p class=\"small\">{_e(t('report.laws', lang))}</p><ul class=\"small\">{law_list}</ul>" if laws else "")
            + "</section>")


def _steps(a: Analysis, lang: str, top: int) -> str:
    if not a.actions:
        return ""
    items = "".join(
        f"<li>{_e(reason_text(named(x, a.g), lang))} <span class=\"small\">"
        f"{_e(t('report.step_fixes.one' if len(x['fixes']) == 1 else 'report.step_fixes', lang, n=len(x['fixes'])))}"
        "</span></li>" for x in a.actions[:top])
    return (f"<section><h2>{_e(t('gaps.actions', lang))}</h2><p>{_e(t('report.steps_help', lang))}</p>"
            f"<ol>{items}</ol></section>")


def _roadmap(plan: dict, g: nx.MultiDiGraph, lang: str, top: int) -> str:
    """What we do in 2027, 2028, …: per period its first ``top`` actions (:func:`sovmap.graph.roadmap.plan`)."""
    rows = action_rows(plan, g, lang)
    periods = [p for p in plan["phases"] if p["actions"]]
    if not periods:
        return ""
    years = ", ".join(str(p["period"]) for p in periods)
    parts = [f"<section><h2>{_e(t('report.roadmap', lang, years=years))}</h2>"
             f"<p>{_e(t('report.roadmap_help', lang, home=plan['home']))}</p>"]
    for p in periods:
        done, of = p["in_control"]
        mine = [r for r in rows if r["period"] == str(p["period"])]
        items = "".join(
            f"<li><b>{_e(r['kind'])}: {_e(r['target'])}</b> — {_e(r['action'])}"
            + (f" <i>({_e(t('report.roadmap_waits', lang, contracts=r['waits_for'], date=r['notice_by']))})</i>"
               if r["waits_for"] else "") + "</li>" for r in mine[:top])
        more = f"<li>{_e(t('report.roadmap_more', lang, n=len(mine) - top))}</li>" if len(mine) > top else ""
        parts.append(f"<h3>{_e(t('report.roadmap_period', lang, period=p['period'], n=len(mine), done=done, of=of))}"
                     f"</h3><ul>{items}{more}</ul>")
    return "".join(parts) + "</section>"


def build_report(a: Analysis, lang: str, generated: dt.datetime | None = None, top: int = 10,
                 roadmap: dict | None = None) -> str:
    """The board report of an analysis as a complete HTML document in ``lang``; with ``roadmap``
    (:func:`sovmap.graph.roadmap.plan` of the same graph) a section on what we do in which year."""
    generated = generated or dt.datetime.now(dt.timezone.utc)
    org = organisation_name(a.g) or t("report.organisation", lang)
    f = key_figures(a.summary["counts"], a.spof, a.ranking)
    lead = t("report.lead", lang, n=f.non_eu_spof, total=f.vital_high, share=f"{f.share:.0%}")
    meta = t("report.meta", lang, version=a.version.id, created=f"{a.version.created:%Y-%m-%d %H:%M} UTC",
             generated=f"{generated:%Y-%m-%d %H:%M} UTC")
    return (f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(t('report.title', lang))} · {_e(org)}</title><style>{_CSS}</style></head><body><main>"
            f"<h1>{_e(t('report.title', lang))}</h1><p class=\"meta\"><b>{_e(org)}</b> · {_e(meta)}</p>"
            f"<p class=\"lead\">{_e(lead)}</p>{_figures(a, lang)}"
            f"{_risks(a, lang, top)}{_steps(a, lang, top)}"
            f"{_roadmap(roadmap, a.g, lang, top) if roadmap else ''}{_assessment(a, lang)}{_groups(a, lang)}"
            f"{_jurisdictions(a, lang)}{_coverage(a, lang)}"
            f"<footer>{_e(t('report.method', lang))}</footer></main></body></html>")
