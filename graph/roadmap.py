"""A transition roadmap: which of the assessment's steps to take in which year, for the effort a body can afford.

Candidate actions come from the assessment's steps (:func:`sovmap.graph.assessment.actions`) that close a
gap: replace a supplier group by an EU/EEA alternative (the operational and legal steps for one group are one
action), prepare an exit from a system (exit plan and open-standard export together: only both raise the
level), move systems to a location in the EU/EEA, negotiate EU/EEA law and courts in a contract. Steps that
only find things out or mitigate (record, verify, customer-held keys) remove no risk and are not planned.
Gaps exist only where the policy asks for protection, so nothing is planned where it does not ("open where
possible").

Each action has an effort (defaults per kind, :data:`DEFAULT_EFFORT`, overridable per supplier or system)
and an earliest date: for an action that changes a contract (replace, move, negotiate) the latest notice
date of the contracts it waits for: their end date minus their notice period, rolled over by the contract's
term when it renews automatically and that date has passed; otherwise today.

The plan is greedy, per year: among the actions that may start by the end of the year, take the one that
removes the most risk per effort, re-assess the what-if graph with it done, and repeat while the year's
capacity lasts; then compare with the best single action that fits, and keep the better (for gains that add
up, this is at least half of the best choice; where actions only help together, greedy may miss them).
Risk is the sum of the gaps' severities plus, for every vital or high process, a weight (16 vital, 8 high)
per non-European supplier group that can cut it off alone. The what-if alternatives are placed in ``home``
(the Netherlands by default): a planning assumption, never a fact of the inventory.

Examples
--------
>>> import datetime as dt
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("P", kind="process", name="Payments", criticality="vital")
>>> g.add_node("SYS", kind="system", name="Bank link", data_export="open-standard", exit_plan="yes")
>>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
>>> _ = g.add_edge("P", "SYS", key="uses"); _ = g.add_edge("SYS", "S", key="provided_by")
>>> out = plan(g, today=dt.date(2026, 1, 1), capacity=3, until=2027)
>>> [(p["period"], [a["key"] for a in p["actions"]]) for p in out["phases"]]
[(2026, ['replace:S']), (2027, [])]
>>> out["risk_before"] > out["phases"][0]["risk_after"] == 0
True
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import networkx as nx

from .assessment import actions, assess, assessment_facts
from .contracts import Contract, contracts, covering
from .ownership import root_of

__all__ = ["DEFAULT_EFFORT", "Candidate", "candidates", "apply_action", "risk", "notice_date", "plan",
           "exhaustive_best"]

#: Effort of an action by kind, in the units of the capacity (e.g. project slots per year).
DEFAULT_EFFORT = {"replace": 3.0, "move": 2.0, "exit": 1.0, "contract_law": 1.0}
_CONTRACT_BOUND = {"replace", "move", "contract_law"}
_SPOF_WEIGHT = {"vital": 16, "high": 8}
_REPLACE = {"replace_operational", "replace_legal", "replace_legal_adequate"}
_EXACT_UP_TO = 12  # candidates re-evaluated in full after every choice up to this many; lazily beyond


@dataclass(frozen=True)
class Candidate:
    """One action the plan may take."""

    key: str  # replace:GROUP, exit:SYSTEM, move:SYSTEM, law:CONTRACT
    kind: str  # replace, exit, move or contract_law
    target: str
    systems: tuple[str, ...]
    effort: float
    earliest: dt.date | None  # None: it may start now
    waits_for: tuple[str, ...] = ()  # the contracts whose notice date sets ``earliest``
    text: str = ""
    locations: tuple[str, ...] = field(default=(), compare=False)
    dimensions: tuple[str, ...] = field(default=(), compare=False)  # of the gaps it closes
    items: tuple[str, ...] = field(default=(), compare=False)  # the processes, data sets and systems it helps fix
    steps: tuple[dict, ...] = field(default=(), compare=False)  # the assessment's steps, {"code", "params"}


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def notice_date(c: Contract, today: dt.date) -> dt.date | None:
    """The last day to give notice so that ``c`` ends: its end date minus its notice period; None when unknown.

    A date already past rolls over by the contract's term (its length, at least a year) when it renews
    automatically; otherwise notice can be given now (today).

    >>> c = Contract("C-1", "C-1", None, (), "2024-01-01", "2027-06-30", 6, "automatic")
    >>> notice_date(c, dt.date(2026, 1, 1)), notice_date(c, dt.date(2027, 3, 1))
    (datetime.date(2026, 12, 30), datetime.date(2029, 12, 30))
    """
    if not c.end_date:
        return None
    end = dt.date.fromisoformat(c.end_date)
    notice = _add_months(end, -(c.notice_months or 0))
    if notice >= today:
        return notice
    if c.renewal != "automatic":
        return today
    start = dt.date.fromisoformat(c.start_date) if c.start_date else None
    years = max(1, round((end - start).days / 365.25)) if start else 1
    while notice < today:
        end = _add_months(end, 12 * years)
        notice = _add_months(end, -(c.notice_months or 0))
    return notice


def _effort(kind: str, target: str, systems, efforts: dict) -> float:
    """The effort of an action: the supplier's or system's own (the largest of its systems'), else the default."""
    by_supplier = efforts.get("suppliers") or {}
    by_system = efforts.get("systems") or {}
    if kind == "replace" and target in by_supplier:
        return float(by_supplier[target])
    own = [float(by_system[s]) for s in systems if s in by_system]
    if own:
        return max(own)
    return float((efforts.get("defaults") or {}).get(kind, DEFAULT_EFFORT[kind]))


def candidates(g: nx.MultiDiGraph, result: dict, today: dt.date, efforts: dict | None = None) -> list[Candidate]:
    """The actions of an assessment ``result`` of ``g`` that close a gap, merged per group, system or contract."""
    efforts = efforts or {}
    cover = covering(g)
    roots = root_of(g)
    merged: dict[str, dict] = {}
    for a in actions(result):
        if not a["fixes"]:
            continue
        code, p = a["code"], a["params"]
        if code in _REPLACE:
            entries = [("replace", p["group"], p["systems"], ())]
        elif code in ("exit_plan", "open_export"):
            entries = [("exit", s, [s], ()) for s in p["systems"]]
        elif code in ("move_eea", "move_adequate"):
            entries = [("move", s, [s], tuple(p["locations"])) for s in p["systems"]]
        elif code == "contract_eu_law":
            entries = [("contract_law", p["contract"], [], ())]
        else:
            continue
        for kind, target, systems, locations in entries:
            key = f"{'law' if kind == 'contract_law' else kind}:{target}"
            m = merged.setdefault(key, {"kind": kind, "target": target, "systems": set(), "locations": set(),
                                        "texts": [], "dimensions": set(), "items": set(), "steps": []})
            m["systems"].update(systems)
            m["locations"].update(locations)
            m["dimensions"].update(x["dimension"] for x in a["fixes"])
            m["items"].update(x["id"] for x in a["fixes"])
            if a["text"] not in m["texts"]:
                m["texts"].append(a["text"])
                m["steps"].append({"code": code, "params": p})
    out = []
    for key, m in merged.items():
        kind, target, systems = m["kind"], m["target"], tuple(sorted(m["systems"]))
        waits: dict[str, dt.date] = {}
        if kind in _CONTRACT_BOUND:
            if kind == "contract_law":
                relevant = [c for cs in cover.values() for c in cs if c.id == target][:1]
            else:
                relevant = [c for s in systems for c in cover.get(s, ())
                            if kind == "move" or c.supplier is None or roots.get(c.supplier) == target]
            for c in relevant:
                when = notice_date(c, today)
                if when is not None:
                    waits[c.id] = when
        earliest = max(waits.values()) if waits else None
        out.append(Candidate(key, kind, target, systems, _effort(kind, target, systems, efforts),
                             earliest if earliest and earliest > today else None, tuple(sorted(waits)),
                             " ".join(m["texts"]), tuple(sorted(m["locations"])), tuple(sorted(m["dimensions"])),
                             tuple(sorted(m["items"])), tuple(m["steps"])))
    out.sort(key=lambda c: c.key)
    return out


def apply_action(g: nx.MultiDiGraph, c: Candidate, home: str = "NL") -> nx.MultiDiGraph:
    """A copy of ``g`` with action ``c`` done (what-if: alternatives placed in ``home``)."""
    h = g.copy()
    if c.kind == "exit":
        for s in c.systems:
            h.nodes[s]["exit_plan"] = "yes"
            h.nodes[s]["data_export"] = "open-standard"
    elif c.kind == "contract_law":
        h.nodes[c.target]["governing_law"] = home
        h.nodes[c.target]["court"] = home
    elif c.kind == "move":
        for loc in c.locations:
            new = f"plan:location:{loc}"
            if new not in h:
                h.add_node(new, kind="location", name=f"EU/EEA location instead of {loc} (planned)", country=home,
                           planned="yes")
                for _, op, rel in list(h.out_edges(loc, keys=True)):
                    if rel == "operated_by":
                        h.add_edge(new, op, key="operated_by")
            for s in c.systems:
                if h.has_edge(s, loc, key="hosted_at"):
                    h.remove_edge(s, loc, key="hosted_at")
                    h.add_edge(s, new, key="hosted_at")
    elif c.kind == "replace":
        roots = root_of(h)
        alt = f"plan:supplier:{c.target}"
        place = f"plan:location:{c.target}"
        if alt not in h:
            h.add_node(alt, kind="supplier", name=f"EU/EEA alternative for {c.target} (planned)", country=home,
                       ownership="stated", planned="yes")
            h.add_node(place, kind="location", name=f"EU/EEA location of the alternative for {c.target} (planned)",
                       country=home, planned="yes")
            h.add_edge(place, alt, key="operated_by")
        for s in c.systems:
            for _, t, rel in list(h.out_edges(s, keys=True)):
                if rel in ("provided_by", "operated_by") and roots.get(t) == c.target:
                    data = h.edges[s, t, rel]
                    h.remove_edge(s, t, key=rel)
                    h.add_edge(s, alt, key=rel, **data)
                elif rel == "hosted_at" and any(roots.get(op) == c.target for _, op, r in h.out_edges(t, keys=True)
                                                if r == "operated_by"):
                    data = h.edges[s, t, rel]
                    h.remove_edge(s, t, key=rel)
                    h.add_edge(s, place, key=rel, **data)
    return h


def risk(result: dict, only: set[str] | None = None) -> float:
    """The risk the plan removes: gap severities plus, per vital/high process, weighted non-European single
    points of failure (of the items in ``only``, when given)."""
    total = float(sum(x["severity"] for x in result["gaps"] if only is None or x["id"] in only))
    for i in result["items"]:
        if only is not None and i["id"] not in only:
            continue
        w = _SPOF_WEIGHT.get(i.get("criticality", ""), 0) if i["kind"] == "process" else 0
        if w:
            total += w * sum(1 for s in i["operational"]["single_points_of_failure"] if s["european"] is False)
    return total


_ITEMS = frozenset({"process", "dataset", "system"})


def _affected(g: nx.MultiDiGraph, c: Candidate) -> set[str]:
    """The processes, data sets and systems whose assessment action ``c`` may change: its systems (for a
    contract, the systems it covers) and everything that depends on them."""
    seeds = set(c.systems)
    if c.kind == "contract_law" and c.target in g:
        seeds |= {t for _, t, rel in g.out_edges(c.target, keys=True) if rel == "covers"}
    out = set()
    for s in seeds:
        if s in g:
            out |= {s} | nx.ancestors(g, s)
    return {n for n in out if g.nodes[n].get("kind") in _ITEMS}


def _scope(g: nx.MultiDiGraph, start: set[str]) -> nx.MultiDiGraph:
    """The part of ``g`` the assessment of the items ``start`` reads: what they depend on (all that can be
    reached from them), every member of a supplier group reached (with what it reaches), the contracts
    covering a system reached (not the other systems they cover), and the processes, data sets and systems
    above the items (their requirements)."""
    roots = root_of(g)
    members: dict[str, list[str]] = {}
    for n, r in roots.items():
        members.setdefault(r, []).append(n)
    keep = set()
    todo = list(start)
    for n in start:
        todo.extend(a for a in nx.ancestors(g, n) if g.nodes[a].get("kind") in _ITEMS)
    while todo:
        n = todo.pop()
        if n in keep:
            continue
        keep.add(n)
        kind = g.nodes[n].get("kind")
        # a contract is read for the systems in scope: its other systems are not needed
        todo.extend(t for _, t, rel in g.out_edges(n, keys=True) if kind != "contract" or rel != "covers")
        if kind == "supplier":
            todo.extend(members.get(roots.get(n, n), ()))
        elif kind == "system":
            todo.extend(f for f, _, rel in g.in_edges(n, keys=True) if rel == "covers")
    return g.subgraph(keep)


def _gain(cur: nx.MultiDiGraph, now: dict, c: Candidate, policy, home: str) -> tuple[float, nx.MultiDiGraph]:
    """The risk ``c`` removes from ``cur`` (assessed as ``now``), and ``cur`` with ``c`` done: only the items it
    may change are re-assessed, on the part of the graph they rest on (the same result as assessing the whole
    graph, which a test checks on the demo)."""
    h = apply_action(cur, c, home)
    only = _affected(cur, c)
    if not only:
        return 0.0, h
    after = _scope(h, only)
    return risk(now, only) - risk(assess(after, policy, assessment_facts(after, policy)), only), h


def _in_control(result: dict) -> tuple[int, int]:
    """(vital/high processes without a gap, all vital/high processes)."""
    gapped = {x["id"] for x in result["gaps"]}
    key = [i["id"] for i in result["items"] if i["kind"] == "process" and i.get("criticality") in _SPOF_WEIGHT]
    return sum(1 for n in key if n not in gapped), len(key)


def _choose(g, pool: list[Candidate], room: float, policy, home: str, base: float, bounds: dict[str, float],
            assessed=None):
    """Greedy choice within ``room`` effort: [(candidate, risk removed)], the graph after them and its risk.

    ``bounds`` holds the last gain seen per action (kept from year to year): with more than
    :data:`_EXACT_UP_TO` actions they order the lazy re-evaluation. ``assessed(graph)`` gives a graph's
    assessment (the caller's cache); without it each is assessed anew.
    """
    assessed = assessed or (lambda h: assess(h, policy, assessment_facts(h, policy)))
    chosen: list[tuple[Candidate, float]] = []
    cur, cur_risk = g, base
    lazy = len(pool) > _EXACT_UP_TO
    gains: dict[str, float] = dict(bounds) if lazy else {}
    first: dict[str, float] | None = dict(bounds) if lazy and bounds else None  # gains on ``g`` (stale when lazy)
    capacity = room
    left = list(pool)

    def gain(c: Candidate) -> tuple[float, nx.MultiDiGraph]:
        return _gain(cur, assessed(cur), c, policy, home)

    while True:
        fits = [c for c in left if c.effort <= room + 1e-9]
        if not fits:
            break
        best = None
        if lazy and gains:  # upper bounds from earlier rounds: re-evaluate from the top until one stays on top
            fits.sort(key=lambda c: -gains.get(c.key, float("inf")) / c.effort)
            for i, c in enumerate(fits):
                got, h = gain(c)
                gains[c.key] = got
                nxt = fits[i + 1] if i + 1 < len(fits) else None
                if best is None or got / c.effort > best[1] / best[0].effort:
                    best = (c, got, h)
                if nxt is None or best[1] / best[0].effort >= gains.get(nxt.key, float("inf")) / nxt.effort:
                    break
        else:
            for c in fits:
                got, h = gain(c)
                gains[c.key] = got
                if best is None or got / c.effort > best[1] / best[0].effort + 1e-12:
                    best = (c, got, h)
        if first is None:
            first = dict(gains)
        if best is None or best[1] <= 0:
            break
        c, got, h = best
        chosen.append((c, got))
        cur, cur_risk = h, cur_risk - got
        room -= c.effort
        left.remove(c)
    # the best single action that fits, when it removes more than the greedy sequence
    single = max(((c, got) for c in pool if (got := (first or {}).get(c.key)) is not None and c.effort <= capacity),
                 key=lambda x: x[1], default=None)
    bounds.update(gains)
    if single and single[1] > sum(got for _, got in chosen) + 1e-9:
        h = apply_action(g, single[0], home)
        got = base - risk(assess(h, policy))  # its gain now (a lazy bound may be stale)
        if got > sum(x for _, x in chosen) + 1e-9:
            return [(single[0], got)], h, base - got
    return chosen, cur, cur_risk


def _periods(today: dt.date, until: int, per: str) -> list[tuple[str | int, dt.date, dt.date]]:
    """(label, first day, last day) of each period from ``today`` to the end of ``until``."""
    if per == "year":
        return [(y, max(today, dt.date(y, 1, 1)), dt.date(y, 12, 31)) for y in range(today.year, until + 1)]
    out = []
    for y in range(today.year, until + 1):
        for q in range(4):
            last = _add_months(dt.date(y, 3 * q + 1, 1), 3) - dt.timedelta(days=1)
            if last >= today:
                out.append((f"{y}-Q{q + 1}", max(today, dt.date(y, 3 * q + 1, 1)), last))
    return out


def _action_row(c: Candidate, got: float, start: dt.date | None = None) -> dict:
    row = {"key": c.key, "kind": c.kind, "target": c.target, "systems": list(c.systems), "effort": c.effort,
           "earliest": c.earliest.isoformat() if c.earliest else None, "waits_for": list(c.waits_for),
           "risk_removed": got, "text": c.text}
    if start is not None:
        row["start"] = start.isoformat()
    row.update(dimensions=list(c.dimensions), items=list(c.items), steps=[dict(x) for x in c.steps])
    return row


def _notice_in(c: Candidate, first: dt.date, by_id: dict[str, Contract], today: dt.date
               ) -> tuple[dt.date | None, tuple[dict, ...]]:
    """The notice date that applies to ``c`` when it is planned in a period starting on ``first``, and the
    contracts that renew before then (``{"contract", "notice_missed", "notice_by"}``): an automatic renewal whose
    notice date passed before ``first`` has renewed, and its next term's notice date applies. (None, ()) when
    ``c`` waits for no contract."""
    if c.earliest is None:
        return None, ()
    dates, renewed = [], []
    for w in c.waits_for:
        if w not in by_id:
            continue
        then = notice_date(by_id[w], first)
        if then is None:
            continue
        dates.append(then)
        missed = notice_date(by_id[w], today)
        if by_id[w].renewal == "automatic" and then != missed:
            renewed.append({"contract": w, "notice_missed": missed.isoformat(), "notice_by": then.isoformat()})
    return (max(dates) if dates else None), tuple(renewed)


def _placed(c: Candidate, got: float, first: dt.date, applies: tuple[dt.date | None, tuple[dict, ...]]) -> dict:
    """The row of ``c`` planned in a period starting on ``first``. When a contract it waits for renews before then,
    the row's ``earliest`` is the notice date that applies in the period and ``renews_first`` lists each such
    contract with the notice date missed and the next one: a step is never planned past the notice date it waits
    for without saying so."""
    when, renewed = applies
    row = _action_row(c, got, max(first, when) if when else first)
    if renewed:
        row["earliest"] = when.isoformat()
        row["renews_first"] = [dict(r) for r in renewed]
    return row


def _by_quarter(g: nx.MultiDiGraph, out: dict, by_key: dict[str, Candidate], today: dt.date, policy,
                home: str) -> list[dict]:
    """The yearly phases of ``out`` split into quarters: each action in the quarter it may start in, the risk and
    the processes in control re-assessed after each quarter with actions."""
    phases, cur = [], g
    risk_after, in_control = out["risk_before"], out["in_control_before"]
    for year in out["phases"]:
        for label, first, last in _periods(max(today, dt.date(year["period"], 1, 1)), year["period"], "quarter"):
            acts = [a for a in year["actions"] if first.isoformat() <= a["start"] <= last.isoformat()]
            for a in acts:
                cur = apply_action(cur, by_key[a["key"]], home)
            if acts:
                after = assess(cur, policy, assessment_facts(cur, policy))
                risk_after, in_control = risk(after), list(_in_control(after))
            phases.append({"period": label, "start": first.isoformat(), "end": last.isoformat(), "actions": acts,
                           "risk_after": risk_after, "in_control": in_control})
    return phases


def plan(g: nx.MultiDiGraph, *, today: dt.date, capacity: float = 6.0, until: int | None = None,
         policy=None, efforts: dict | None = None, home: str = "NL", per: str = "year") -> dict:
    """A roadmap per year (or per quarter) from ``today`` to ``until`` (four years on by default).

    ``capacity`` is the effort per year. The actions are chosen per year; with ``per="quarter"`` each is then
    shown in the first quarter of its year that its contracts allow (its ``start``), and the risk and the
    processes in control are re-assessed after each quarter.

    Returns ``{"today", "capacity", "home", "per", "risk_before", "in_control_before": [n, of], "phases":
    [{"period", "start", "end", "actions": [{"key", "kind", "target", "systems", "effort", "earliest",
    "waits_for", "risk_removed", "text", "start", "dimensions", "items", "steps"[, "renews_first"]}], "risk_after",
    "in_control": [n, of]}], "not_scheduled": [...], "contracts": [{"id", "name", "supplier", "end_date", "notice_date"}]}``:
    the contracts any action waits for. A period is a year (int) or a quarter ("2026-Q3").
    """
    if capacity <= 0:
        raise ValueError(f"capacity must be above 0, not {capacity}.")
    if per not in ("year", "quarter"):
        raise ValueError(f'per must be "year" or "quarter", not {per!r}.')
    until = until if until is not None else today.year + 4
    result = assess(g, policy, assessment_facts(g, policy))
    pool = candidates(g, result, today, efforts)
    cur, cur_risk = g, risk(result)
    out = {"today": today.isoformat(), "capacity": capacity, "home": home, "per": per, "risk_before": cur_risk,
           "in_control_before": list(_in_control(result)), "phases": [], "not_scheduled": []}
    left = list(pool)
    bounds: dict[str, float] = {}
    memo: dict[int, tuple[nx.MultiDiGraph, dict]] = {id(g): (g, result)}  # graph id → (graph, its assessment)

    def assessed(h: nx.MultiDiGraph) -> dict:
        if id(h) not in memo:
            memo.clear()  # only the latest graph is asked for again
            memo[id(h)] = (h, assess(h, policy, assessment_facts(h, policy)))
        return memo[id(h)][1]

    by_id = contracts(g)
    for label, first, last in _periods(today, until, "year"):
        applies = {c.key: _notice_in(c, first, by_id, today) for c in left}
        ready = [c for c in left if applies[c.key][0] is None or applies[c.key][0] <= last]
        chosen, cur, cur_risk = _choose(cur, ready, capacity, policy, home, cur_risk, bounds, assessed)
        for c, _ in chosen:
            left.remove(c)
        in_control = (list(_in_control(assessed(cur))) if chosen
                      else (out["phases"][-1]["in_control"] if out["phases"] else out["in_control_before"]))
        out["phases"].append({
            "period": label, "start": first.isoformat(), "end": last.isoformat(),
            "actions": [_placed(c, got, first, applies[c.key]) for c, got in chosen],
            "risk_after": cur_risk, "in_control": in_control})
    if per == "quarter":
        out["phases"] = _by_quarter(g, out, {c.key: c for c in pool}, today, policy, home)
    out["not_scheduled"] = [{k: v for k, v in _action_row(c, 0.0).items() if k != "risk_removed"} for c in left]
    waited = {w for c in pool for w in c.waits_for}
    out["contracts"] = [{"id": c.id, "name": c.name, "supplier": c.supplier, "end_date": c.end_date,
                         "notice_date": (notice_date(c, today) or today).isoformat() if c.end_date else None}
                        for c in sorted(contracts(g).values(), key=lambda c: c.id) if c.id in waited]
    return out


def exhaustive_best(g: nx.MultiDiGraph, pool: list[Candidate], room: float, policy=None, home: str = "NL") -> float:
    """The most risk any set of ``pool`` within ``room`` effort removes (for tests on small inventories)."""
    base = risk(assess(g, policy))
    best = 0.0
    for k in range(1, len(pool) + 1):
        for combo in itertools.combinations(pool, k):
            if sum(c.effort for c in combo) > room + 1e-9:
                continue
            h = g
            for c in combo:
                h = apply_action(h, c, home)
            best = max(best, base - risk(assess(h, policy)))
    return best
