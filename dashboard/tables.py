"""Rows for the pages' tables: the results of graph/ functions with names and labels in the chosen language.

Nothing here analyses the graph; it only looks up names and labels.

Examples
--------
>>> import networkx as nx

from sovmap.graph.levels import dimension_label, level_label, reason_text
>>> g = nx.MultiDiGraph()
>>> g.add_node("P-1", kind="process", name="Burgerzaken", criticality="vital")
>>> g.add_node("S-1", kind="supplier", name="Kynthos", country="US")
>>> chain_names(g, ["P-1", "S-1"])
'Burgerzaken → Kynthos'
>>> level_text(g, "P-1", "nl")
'vitaal'
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import networkx as nx

from sovmap.graph.concentration import reaching_members
from sovmap.graph.levels import dimension_label, level_label, reason_text
from sovmap.graph.ownership import european_verdict, ownership_chain
from sovmap.graph.propagation import CHAIN_HEAD

from sovmap.store import Version

from .escape import md_escape
from .i18n import column_label, country_label, kind_label, relation_label, t, value_label, yes_no

__all__ = ["md_escape", "listed", "named", "name_of", "chain_names", "sentence", "impact_summary", "owner_note",
           "why_text", "group_via", "level_text", "version_columns", "version_rows", "files_zip",
           "diff_columns", "diff_rows", "impact_columns", "impact_rows", "scenario_params",
           "spof_columns", "spof_rows", "ranking_columns", "ranking_rows", "gap_columns", "gap_rows",
           "action_columns", "action_rows"]


def listed(names: Sequence[str], lang: str, shown: int = 5) -> str:
    """Names for markdown, escaped, the first ``shown`` and how many more.

    >>> print(listed(["A*", "B", "C"], "nl", shown=2))
    A\\*, B en nog 1
    """
    head = ", ".join(md_escape(n) for n in names[:shown])
    return t("impact.more", lang, names=head, n=len(names) - shown) if len(names) > shown else head


def sentence(text: str) -> str:
    """``text`` ended by one full stop: a name that ends in "Inc." gets no second one.

    >>> sentence("Weg: Mailwise Inc."), sentence("Cut: Kynthos")
    ('Weg: Mailwise Inc.', 'Cut: Kynthos.')
    """
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def impact_summary(cut: Sequence[str], stopped: Sequence[str], lang: str) -> str:
    r"""What was cut and which vital or high processes stop, in markdown; none and one said as such.

    >>> print(impact_summary(["Mailwise Inc."], [], "en"))
    Cut: Mailwise Inc\. No vital or high process stops as a result.
    >>> print(impact_summary(["Kynthos"], ["Burgerzaken"], "nl"))
    Weg: Kynthos. Daardoor valt **1 vitaal of hoog proces** stil: Burgerzaken.
    """
    first = sentence(t("impact.summary.cut", lang, cut=listed(list(cut), lang)))
    if not stopped:
        return f"{first} {t('impact.summary.none', lang)}"
    key = "impact.summary.one" if len(stopped) == 1 else "impact.summary.many"
    names = listed(list(stopped), lang)
    return f"{first} {sentence(t(key, lang, n=len(stopped), names=names).removesuffix('.'))}"


def name_of(g: nx.MultiDiGraph, node: str, lang: str = "en") -> str:
    """The node's name (a country's in ``lang``), or its id when it has none or is not in the graph."""
    if node not in g:
        return node
    d = g.nodes[node]
    if d.get("kind") == "country" and d.get("code"):
        return country_label(d["code"], lang)
    return d.get("name") or node


_NAMED_PARAMS = ("systems", "locations", "suppliers", "groups", "id")


def named(item: dict, g: nx.MultiDiGraph) -> dict:
    """A reason or step (see :mod:`sovmap.graph.levels`) with the ids of systems, locations and suppliers as names.

    Supplier groups keep their id next to their name, as the texts already give both.
    """
    params = dict(item.get("params", {}))
    for key in _NAMED_PARAMS:
        value = params.get(key)
        if isinstance(value, list):
            params[key] = [name_of(g, v) for v in value]
        elif isinstance(value, str):
            params[key] = name_of(g, value)
    return {**item, "params": params}


def chain_names(g: nx.MultiDiGraph, chain: Sequence[str], lang: str = "en", skipped: int = 0) -> str:
    """A why-chain of ids as names: "Burgerzaken → Zaaksysteem → Kynthos".

    ``skipped``: the steps left out of an abbreviated chain after the first
    ``CHAIN_HEAD`` (see :func:`sovmap.graph.impact.item`), shown as "… N more …".
    """
    names = [name_of(g, n, lang) for n in chain]
    if skipped:
        names = [*names[:CHAIN_HEAD], t("why.more", lang, n=f"{skipped:,}"), *names[CHAIN_HEAD:]]
    return " → ".join(names)


def owner_note(g: nx.MultiDiGraph, supplier: str, lang: str = "en") -> str:
    """Who owns a supplier in the end, and that owner's country, as the CLI's why-texts say it.

    The owner is the last of :func:`sovmap.graph.ownership.ownership_chain` (the function the CLI's
    :func:`sovmap.graph.impact.supplier_note` uses), named instead of given by id; unknown ownership is said.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("S-NORD", kind="supplier", name="Nordhost B.V.", country="NL")
    >>> g.add_node("S-KYN", kind="supplier", name="Kynetic Corp", country="US")
    >>> _ = g.add_edge("S-NORD", "S-KYN", key="owned_by")
    >>> owner_note(g, "S-NORD"), owner_note(g, "S-KYN", "nl")
    ('owned by Kynetic Corp, US', 'US')
    """
    top = ownership_chain(g, supplier)[-1]
    code = g.nodes[top].get("country") or "?"
    note = t("why.owned_by", lang, owner=name_of(g, top, lang), country=code) if top != supplier else code
    if european_verdict(g, supplier).european is None:
        note += f"; {t('ownership_unknown', lang)}"
    return note


def why_text(g: nx.MultiDiGraph, chain: Sequence[str], lang: str = "en", skipped: int = 0,
             notes: dict[str, str] | None = None) -> str:
    """A why-chain as names that ends at the owner behind the last supplier (or the location's country).

    "Burgerzaken → Zaaksysteem → Nordhost B.V. (owned by Kynetic Corp, US)", as
    :func:`sovmap.graph.impact.chain_text` gives it for the CLI. ``notes``: a supplier → note cache.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("P", kind="process", name="Burgerzaken")
    >>> g.add_node("S-NORD", kind="supplier", name="Nordhost B.V.", country="NL")
    >>> g.add_node("S-KYN", kind="supplier", name="Kynetic Corp", country="US")
    >>> _ = g.add_edge("S-NORD", "S-KYN", key="owned_by")
    >>> why_text(g, ["P", "S-NORD"], "nl")
    'Burgerzaken → Nordhost B.V. (eigendom van Kynetic Corp, US)'
    """
    text = chain_names(g, chain, lang, skipped)
    if not chain or chain[-1] not in g:
        return text
    last, d = chain[-1], g.nodes[chain[-1]]
    if d.get("kind") == "supplier":
        notes = {} if notes is None else notes
        if last not in notes:
            notes[last] = owner_note(g, last, lang)
        return f"{text} ({notes[last]})"
    if d.get("kind") == "location" and d.get("country"):
        return f"{text} ({d['country']})"
    return text


def group_via(g: nx.MultiDiGraph, process: str, group: dict, lang: str = "en",
              used: Sequence[str] | None = None) -> str:
    """A supplier group as a process reaches it: the subsidiaries it uses, each with the owner behind it.

    ``group`` is a group of :func:`sovmap.graph.concentration.single_points_of_failure`; the members
    used come from :func:`sovmap.graph.concentration.reaching_members`, as in the CLI's ``spof``, or are
    given (``used``, other than the group's root: :func:`sovmap.store.answers.spof_via`).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("P", kind="process", name="Burgerzaken")
    >>> g.add_node("S-NORD", kind="supplier", name="Nordhost B.V.", country="NL")
    >>> g.add_node("S-KYN", kind="supplier", name="Kynetic Corp", country="US")
    >>> _ = g.add_edge("S-NORD", "S-KYN", key="owned_by")
    >>> _ = g.add_edge("P", "S-NORD", key="provided_by")
    >>> s = {"supplier_group": "S-KYN", "name": "Kynetic Corp", "countries": ["US"], "european": False,
    ...      "members": ["S-KYN", "S-NORD"]}
    >>> group_via(g, "P", s)
    'Nordhost B.V. (owned by Kynetic Corp, US)'
    """
    root = group["supplier_group"]
    if used is None:
        used = reaching_members(g, process, group.get("members", [root]))
    used = [m for m in used if m != root and m in g]
    if not used:
        return _group_text(group, lang)
    return ", ".join(f"{name_of(g, m, lang)} ({owner_note(g, m, lang)})" for m in used)


def level_text(g: nx.MultiDiGraph, node: str, lang: str) -> str:
    """A process's criticality or a data set's classification in ``lang``; empty for other kinds."""
    d = g.nodes[node]
    if d.get("kind") == "process":
        return value_label("criticality", d.get("criticality"), lang)
    if d.get("kind") == "dataset":
        return value_label("classification", d.get("classification"), lang)
    return ""


# --- versions -------------------------------------------------------------------------------

def version_columns(lang: str) -> list[tuple[str, str]]:
    return [("id", t("versions.col.version", lang)), ("label", t("versions.col.name", lang)),
            ("current", t("versions.col.current", lang)),
            ("created", t("versions.col.created", lang)), ("files", t("versions.col.files", lang)),
            ("process", t("kinds.process", lang)), ("system", t("kinds.system", lang)),
            ("supplier", t("kinds.supplier", lang)), ("edges", t("versions.col.edges", lang))]


def version_rows(versions: Sequence[Version], current_id: str | None) -> list[dict]:
    """One row per version, newest first."""
    return [{"id": v.id, "label": v.label, "current": v.id == current_id, "created": f"{v.created:%Y-%m-%d %H:%M} UTC",
             "files": ", ".join(v.files), **{k: v.counts.get(k, 0) for k in ("process", "system", "supplier", "edges")}}
            for v in reversed(versions)]


def files_zip(files: Sequence[tuple[str, bytes]], folder: str) -> bytes:
    """The files of a version, as uploaded, in one .zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            zf.writestr(f"{folder}/{name.replace(chr(92), '/').split('/')[-1]}", data)
    return buf.getvalue()


# --- what changed between two versions ------------------------------------------------------

def diff_columns(lang: str) -> list[tuple[str, str]]:
    return [("change", t("diff.col.change", lang)), ("kind", t("col.kind", lang)), ("id", t("col.id", lang)),
            ("name", t("col.name", lang)), ("detail", t("diff.col.detail", lang))]


def _value(key: str, value: object, lang: str) -> str:
    if value is None:
        return "–"
    if key == "country":
        return country_label(str(value), lang)
    for enum in ("criticality", "classification", "personal_data", "data_export", "key_control"):
        if key == enum:
            return value_label(enum, str(value), lang)
    if key == "exit_plan":
        return value_label("yes_no", str(value), lang)
    return str(value)


def diff_rows(d: dict, old: nx.MultiDiGraph, new: nx.MultiDiGraph, lang: str) -> list[dict]:
    """Every change of a :func:`sovmap.graph.diff.graph_diff` as one row: nodes first, then dependencies."""
    rows = []
    nodes = d["nodes"]
    for change, ids, g in (("added", nodes["added"], new), ("removed", nodes["removed"], old)):
        for n in ids:
            rows.append({"change": t(f"diff.{change}", lang), "kind": kind_label(g.nodes[n]["kind"], lang),
                         "id": n, "name": name_of(g, n, lang), "detail": ""})
    for c in nodes["changed"]:
        detail = "; ".join(f"{column_label(c['kind'], k, lang)}: {_value(k, a, lang)} → {_value(k, b, lang)}"
                           for k, (a, b) in c["changes"].items())
        rows.append({"change": t("diff.changed", lang), "kind": kind_label(c["kind"], lang), "id": c["id"],
                     "name": c["name"], "detail": detail})
    edges = d["edges"]
    for change, items, g in (("added", edges["added"], new), ("removed", edges["removed"], old),
                             ("changed", edges["changed"], new)):
        for e in items:
            detail = f"{name_of(g, e['source'], lang)} → {name_of(g, e['target'], lang)}"
            if "changes" in e:
                detail += " (" + "; ".join(f"{k}: {a or '–'} → {b or '–'}" for k, (a, b) in e["changes"].items()) + ")"
            rows.append({"change": t(f"diff.{change}", lang), "kind": t("diff.dependency", lang),
                         "id": f"{e['source']} → {e['target']}", "name": relation_label(e["relation"], lang), "detail": detail})
    return rows


# --- what breaks if... ----------------------------------------------------------------------

def impact_columns(lang: str) -> list[tuple[str, str]]:
    return [("kind", t("col.kind", lang)), ("id", t("col.id", lang)), ("name", t("col.name", lang)),
            ("level", t("impact.col.level", lang)), ("why", t("col.why", lang))]


def impact_rows(g: nx.MultiDiGraph, rows: Sequence[dict], lang: str) -> list[dict]:
    """The failed or degraded items of :func:`sovmap.graph.impact.impact`, with their why-chains as names."""
    notes: dict[str, str] = {}
    return [{"kind": kind_label(r["kind"], lang), "id": r["id"], "name": r.get("name") or r["id"],
             "level": level_text(g, r["id"], lang),
             "why": why_text(g, r.get("why", []), lang, r.get("why_skipped", 0), notes)} for r in rows]


def scenario_params(suppliers: Sequence[str], subsidiaries: bool, countries: Sequence[str],
                    locations: Sequence[str], lang: str) -> list[tuple[str, str]]:
    """The query parameters that reproduce a what-breaks-if view (the impact page's widget keys).

    >>> scenario_params(["S-KYN"], False, ["US"], [], "nl")
    [('lang', 'nl'), ('supplier', 'S-KYN'), ('subsidiaries', 'false'), ('country', 'US')]
    """
    params = [("lang", lang)] + [("supplier", s) for s in suppliers]
    if not subsidiaries:
        params.append(("subsidiaries", "false"))
    return params + [("country", c) for c in countries] + [("location", x) for x in locations]


# --- single points of failure ----------------------------------------------------------------

def _group_text(s: dict, lang: str = "en") -> str:
    unknown = f"; {t('ownership_unknown', lang)}" if s.get("european", False) is None else ""
    return f"{s['name'] or s['supplier_group']} ({', '.join(s['countries']) or '?'}{unknown})"


def spof_columns(lang: str) -> list[tuple[str, str]]:
    return [("id", t("col.id", lang)), ("name", t("col.name", lang)), ("criticality", t("col.criticality", lang)),
            ("count", t("spof.col.count", lang)), ("non_european", t("spof.col.non_european", lang)),
            ("unknown_ownership", t("spof.col.unknown_ownership", lang)), ("groups", t("spof.col.groups", lang))]


def spof_rows(spof: Sequence[dict], lang: str, g: nx.MultiDiGraph | None = None,
              only_non_european: bool = False, via: dict | None = None) -> list[dict]:
    """One row per process of :func:`sovmap.graph.concentration.single_points_of_failure`.

    With ``g`` each group is named through the subsidiaries the process uses (:func:`group_via`): those of
    ``via`` (:func:`sovmap.store.answers.spof_via`), else found in ``g``.
    ``only_non_european``: only processes with a non-European group, and only those groups listed
    (a group whose ownership is unknown is not counted as non-European, nor as European).
    """
    rows = []
    for p in spof:
        groups = p["single_points_of_failure"]
        non_eu = [s for s in groups if s["european"] is False]
        if only_non_european and not non_eu:
            continue
        listed_groups = non_eu if only_non_european else groups
        rows.append({"id": p["id"], "name": p["name"],
                     "criticality": (value_label("criticality", p["criticality"], lang) or t("spof.no_criticality", lang))
                     + (f" ({t('spof.derived', lang)})" if p.get("criticality_source") else ""),
                     "criticality_id": p["criticality"], "count": len(groups), "non_european": len(non_eu),
                     "unknown_ownership": sum(s["european"] is None for s in groups),
                     "groups": "; ".join(_group_text(s, lang) if g is None else group_via(
                                             g, p["id"], s, lang, None if via is None else
                                             via.get(p["id"], {}).get(s["supplier_group"], []))
                                         for s in listed_groups)})
    return rows


def ranking_columns(lang: str) -> list[tuple[str, str]]:
    return [("rank", "#"), ("name", t("col.name", lang)), ("supplier_group", t("col.id", lang)),
            ("countries", t("col.countries", lang)), ("european", t("col.european", lang)),
            ("failed_processes", t("overview.failed_processes", lang)),
            ("failed_vital_high", t("overview.failed_vital_high", lang)),
            ("failed_systems", t("spof.col.systems", lang)), ("failed_datasets", t("spof.col.datasets", lang)),
            ("score", t("spof.col.score", lang))]


def ranking_rows(ranking: Sequence[dict], lang: str) -> list[dict]:
    """The rows of :func:`sovmap.graph.concentration.rank_supplier_groups`, yes/no and countries as text."""
    return [{**r, "countries": ", ".join(r["countries"]) or "?",
             "european": t("ownership_unknown", lang) if r["european"] is None else yes_no(r["european"], lang)}
            for r in ranking]


# --- gaps and next steps ---------------------------------------------------------------------

def gap_columns(lang: str) -> list[tuple[str, str]]:
    return [("kind", t("col.kind", lang)), ("id", t("col.id", lang)), ("name", t("col.name", lang)),
            ("level", t("impact.col.level", lang)), ("dimension", t("col.dimension", lang)),
            ("required", t("gaps.col.required", lang)), ("actual", t("gaps.col.actual", lang)),
            ("severity", t("gaps.col.severity", lang)), ("steps", t("gaps.col.steps", lang))]


def gap_rows(g: nx.MultiDiGraph, gaps: Sequence[dict], lang: str) -> list[dict]:
    """One row per gap of :func:`sovmap.graph.assessment.assess`, levels and steps in ``lang``."""
    return [{"kind": kind_label(x["kind"], lang), "kind_id": x["kind"], "id": x["id"], "name": x["name"] or x["id"],
             "level": level_text(g, x["id"], lang) if x["id"] in g else "",
             "dimension": dimension_label(x["dimension"], lang), "dimension_id": x["dimension"],
             "required": level_label(x["required"], lang), "actual": level_label(x["actual"], lang),
             "actual_id": x["actual"], "severity": x["severity"],
             "steps": " ".join(reason_text(named(s, g), lang) for s in x["steps"])} for x in gaps]


def action_columns(lang: str) -> list[tuple[str, str]]:
    return [("step", t("gaps.col.step", lang)), ("closes", t("gaps.col.closes", lang)),
            ("severity", t("gaps.col.severity", lang)), ("fixes", t("gaps.col.fixes", lang)),
            ("items", t("gaps.col.items", lang))]


def action_rows(g: nx.MultiDiGraph, actions: Sequence[dict], lang: str) -> list[dict]:
    """One row per merged action of :func:`sovmap.graph.assessment.actions`, the most severe first."""
    rows = []
    for a in actions:
        ids = list(dict.fromkeys(x["id"] for x in a["fixes"] + a["helps"]))
        rows.append({"step": reason_text(named(a, g), lang), "closes": yes_no(bool(a["fixes"]), lang),
                     "severity": a["severity"], "fixes": len(a["fixes"]),
                     "items": ", ".join(name_of(g, n, lang) for n in ids)})
    return rows
