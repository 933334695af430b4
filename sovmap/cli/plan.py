"""The `plan` command: a transition roadmap per year or quarter, within a capacity or budget, waiting for contract ends."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
import yaml

from sovmap.graph.levels import reason_text
from sovmap.graph.roadmap import DEFAULT_EFFORT, plan as make_plan

from .assess import _load_policy
from .common import DemoOpt, JsonOpt, PathArg, emit_json, err, load_graph
from .summary_text import DetailsOpt
from .texts import TextLangOpt, t

__all__ = ["register", "parse_efforts"]

_SHOWN = 3  # actions per year in the summary


class Per(str, Enum):
    year = "year"
    quarter = "quarter"


def parse_efforts(text: str, name: str = "efforts file") -> dict:
    """The efforts YAML (``defaults``, ``suppliers``, ``systems``: name → effort above 0), or SystemExit(2) with why.

    >>> parse_efforts("defaults: {replace: 5}\\nsuppliers: {S-KYN: 8}")
    {'defaults': {'replace': 5.0}, 'suppliers': {'S-KYN': 8.0}}
    """
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        err(f"{name}: not valid YAML ({str(exc).splitlines()[0]}).")
        raise typer.Exit(2)
    if not isinstance(data, dict):
        err(f"{name}: expected sections defaults, suppliers and systems.")
        raise typer.Exit(2)
    out: dict = {}
    for section, table in data.items():
        if section not in ("defaults", "suppliers", "systems") or not isinstance(table, dict):
            err(f'{name}: "{section}" is not a section; use defaults ({", ".join(DEFAULT_EFFORT)}), suppliers or systems, '
                "each mapping a name to an effort.")
            raise typer.Exit(2)
        for key, value in table.items():
            if section == "defaults" and key not in DEFAULT_EFFORT:
                err(f'{name}: "{key}" is not a kind of action; use {", ".join(DEFAULT_EFFORT)}.')
                raise typer.Exit(2)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                err(f'{name}: the effort of "{key}" must be a number above 0, not {value!r}.')
                raise typer.Exit(2)
            out.setdefault(section, {})[str(key)] = float(value)
    return out


def plan(
    path: PathArg = None,
    capacity: Annotated[float | None, typer.Option("--capacity", help="Effort per year (default 6; default effort per "
                                                   "action: replace a supplier group 3, move 2, exit plan and export "
                                                   "1, negotiate a clause 1).", show_default=False)] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="Money per year instead of --capacity: the efforts "
                                                 "file then gives costs, with a default for every kind of action.",
                                                 show_default=False)] = None,
    until: Annotated[int, typer.Option("--until", help="Last year of the plan (default: four years on).",
                                       show_default=False)] = 0,
    per: Annotated[Per, typer.Option("--per", help="Phases per year or per quarter (the quarters of a year share its "
                                     "capacity).", case_sensitive=False)] = Per.year,
    efforts: Annotated[Path | None, typer.Option("--efforts", help="YAML file with efforts: defaults per kind of "
                                                 "action, or per supplier group or system.", show_default=False)] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="A policy YAML file (default: the built-in policy).",
                                                show_default=False)] = None,
    today: Annotated[str, typer.Option("--today", help="The plan's start date, YYYY-MM-DD (default: today).",
                                       show_default=False)] = "",
    details: DetailsOpt = False,
    demo: DemoOpt = False,
    lang: TextLangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """A roadmap: which steps to take in which year, the most risk removed per effort, waiting for contract ends."""
    lang = getattr(lang, "value", lang)
    per = getattr(per, "value", per)
    try:
        start = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        err(f'--today "{today}" is not a date; write YYYY-MM-DD.')
        raise typer.Exit(2)
    if capacity is not None and budget is not None:
        err("Give either --capacity (effort a year) or --budget (money a year), not both.")
        raise typer.Exit(2)
    room = budget if budget is not None else (capacity if capacity is not None else 6.0)
    if room <= 0:
        err(f"{'--budget' if budget is not None else '--capacity'} must be above 0, not {room:g}.")
        raise typer.Exit(2)
    if until and until < start.year:
        err(f"--until {until} is before the start year {start.year}.")
        raise typer.Exit(2)
    effort_table = {}
    if efforts is not None:
        if not efforts.is_file():
            err(f"{efforts}: no such efforts file.")
            raise typer.Exit(2)
        effort_table = parse_efforts(efforts.read_text("utf-8"), str(efforts))
    if budget is not None:
        missing = [k for k in DEFAULT_EFFORT if k not in effort_table.get("defaults", {})]
        if missing:
            err("--budget counts efforts as money: give an efforts file (--efforts) whose defaults give a cost for "
                f"every kind of action ({', '.join(DEFAULT_EFFORT)}); missing: {', '.join(missing)}.")
            raise typer.Exit(2)
    pol = _load_policy(policy)
    g = load_graph(path, demo)
    out = make_plan(g, today=start, capacity=room, until=until or None, policy=pol, efforts=effort_table, per=per)
    out["unit"] = "money" if budget is not None else "effort"
    if json_:
        emit_json(out)
    else:
        _print(out, details, lang)
    n = sum(len(p["actions"]) for p in out["phases"])
    err(t("plan.done", lang, n=n, periods=len(out["phases"]), per=t(f"plan.per.{per}", lang), room=_room(out, lang),
          left=len(out["not_scheduled"])))


def _room(out: dict, lang: str) -> str:
    return t("plan.budget" if out["unit"] == "money" else "plan.capacity", lang, n=f"{out['capacity']:g}")


def _print(out: dict, details: bool, lang: str) -> None:
    done, of = out["in_control_before"]
    unit = t(f"plan.unit.{out['unit']}", lang)
    print(t("plan.header", lang, today=out["today"], room=_room(out, lang), home=out["home"]))
    print(t("plan.now", lang, risk=f"{out['risk_before']:g}", done=done, of=of))
    for p in out["phases"]:
        if out["per"] == "quarter" and not p["actions"] and not details:
            continue  # a quarter without actions says nothing in the summary
        done, of = p["in_control"]
        print("\n" + t("plan.phase", lang, period=p["period"], n=len(p["actions"]), risk=f"{p['risk_after']:g}",
                       done=done, of=of))
        shown = p["actions"] if details else p["actions"][:_SHOWN]
        for a in shown:
            wait = (t("plan.waits", lang, contracts=", ".join(a["waits_for"]), date=a["earliest"])
                    if a["earliest"] else "")
            for r in a.get("renews_first", ()):
                wait += t("plan.renews_first", lang, contracts=r["contract"], date=r["notice_missed"])
            print("  " + t("plan.action", lang, action=a["key"], unit=unit, effort=f"{a['effort']:g}",
                           removed=f"{a['risk_removed']:g}") + wait)
            text = _text(a, lang)
            if not details:  # the summary says what the step is in words: its first sentence
                first = text.split(". ")[0].rstrip(".")
                text = first if len(first) <= 100 else first[:99] + "…"
            print(f"    {text}")
        if len(p["actions"]) > len(shown):
            print(t("plan.more", lang, n=len(p["actions"]) - len(shown)))
    if details and out["not_scheduled"]:
        print("\n" + t("plan.not_scheduled", lang, n=len(out["not_scheduled"])))
        for a in out["not_scheduled"]:
            print(f"  {a['key']} ({unit} {a['effort']:g})"
                  + (t("plan.notice_by", lang, date=a["earliest"]) if a["earliest"] else ""))
    if not details:
        print("\n" + t("details_hint", lang, command="plan"))


def _text(a: dict, lang: str) -> str:
    """The action's steps in ``lang`` (the assessment's own texts)."""
    return " ".join(reason_text({**s, "closes": True}, lang) for s in a.get("steps", ())) or a["text"]


def register(app: typer.Typer) -> None:
    app.command()(plan)
