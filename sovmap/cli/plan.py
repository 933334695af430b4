"""The `plan` command: a transition roadmap per year, within a capacity, waiting for contract ends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
import yaml

from sovmap.graph.roadmap import DEFAULT_EFFORT, plan as make_plan

from .assess import _load_policy
from .common import DemoOpt, JsonOpt, PathArg, emit_json, err, load_graph
from .summary_text import DetailsOpt, details_hint

__all__ = ["register", "parse_efforts"]

_SHOWN = 3  # actions per year in the summary


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
    capacity: Annotated[float, typer.Option("--capacity", help="Effort per year (default effort per action: replace "
                                            "a supplier group 3, move 2, exit plan and export 1, negotiate a clause 1)."
                                            )] = 6.0,
    until: Annotated[int, typer.Option("--until", help="Last year of the plan (default: four years on).",
                                       show_default=False)] = 0,
    efforts: Annotated[Path | None, typer.Option("--efforts", help="YAML file with efforts: defaults per kind of "
                                                 "action, or per supplier group or system.", show_default=False)] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="A policy YAML file (default: the built-in policy).",
                                                show_default=False)] = None,
    today: Annotated[str, typer.Option("--today", help="The plan's start date, YYYY-MM-DD (default: today).",
                                       show_default=False)] = "",
    details: DetailsOpt = False,
    demo: DemoOpt = False,
    json_: JsonOpt = False,
) -> None:
    """A roadmap: which steps to take in which year, the most risk removed per effort, waiting for contract ends."""
    try:
        start = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        err(f'--today "{today}" is not a date; write YYYY-MM-DD.')
        raise typer.Exit(2)
    if capacity <= 0:
        err(f"--capacity must be above 0, not {capacity:g}.")
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
    pol = _load_policy(policy)
    g = load_graph(path, demo)
    out = make_plan(g, today=start, capacity=capacity, until=until or None, policy=pol, efforts=effort_table)
    if json_:
        emit_json(out)
    else:
        _print(out, details)
    n = sum(len(p["actions"]) for p in out["phases"])
    err(f"{n} action(s) planned over {len(out['phases'])} year(s) at {capacity:g} effort a year; "
        f"{len(out['not_scheduled'])} left for later.")


def _print(out: dict, details: bool) -> None:
    done, of = out["in_control_before"]
    print(f"Roadmap from {out['today']}, capacity {out['capacity']:g} a year "
          f"(what-if alternatives placed in {out['home']}: a planning assumption)")
    print(f"Risk now {out['risk_before']:g}; vital/high processes without a gap: {done} of {of}")
    for p in out["phases"]:
        done, of = p["in_control"]
        print(f"\n{p['period']}: {len(p['actions'])} action(s), risk after {p['risk_after']:g}, "
              f"vital/high processes without a gap {done} of {of}")
        shown = p["actions"] if details else p["actions"][:_SHOWN]
        for a in shown:
            wait = f" — waits for {', '.join(a['waits_for'])} (notice by {a['earliest']})" if a["earliest"] else ""
            print(f"  {a['key']} (effort {a['effort']:g}, removes {a['risk_removed']:g}){wait}")
            if details:
                print(f"    {a['text']}")
        if len(p["actions"]) > len(shown):
            print(f"  ... and {len(p['actions']) - len(shown)} more")
    if details and out["not_scheduled"]:
        print(f"\nNot scheduled ({len(out['not_scheduled'])}):")
        for a in out["not_scheduled"]:
            print(f"  {a['key']} (effort {a['effort']:g})" + (f", notice by {a['earliest']}" if a["earliest"] else ""))
    if not details:
        print("\n" + details_hint("plan"))


def register(app: typer.Typer) -> None:
    app.command()(plan)
