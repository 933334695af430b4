"""The gaps of an assessment against a policy, the steps that would close them, and those steps merged into actions."""

from __future__ import annotations

from sovmap.ingest.read import gc_paused

from .assessment_details import GeographicDetail, LegalDetail, OperationalDetail
from .levels import UNKNOWN, below, distance, step
from .policy import strictest

__all__ = ["actions"]

_ATTRIBUTES = ("criticality", "classification", "personal_data")


def _geo_steps(d: GeographicDetail, required: str) -> list[dict]:
    out = []
    for p in d.places:
        if p.country and below(p.level, required):
            code = "move_eea" if required == "in_control" else "move_adequate"
            out.append(step(code, True, systems=p.systems, locations=p.locations, countries=[p.country]))
    no_country = sorted({loc for p in d.places if not p.country for loc in p.locations})
    if no_country:
        out.append(step("record_country", False, locations=no_country))
    if d.unplaced:
        out.append(step("find_location", False, systems=d.unplaced))
    for code, node in d.missing:
        out.append(step("record_storage" if code == "geo.no_storage" else "record_use", False, id=node))
    return out


def _legal_steps(d: LegalDetail, required: str) -> list[dict]:
    out = []
    keys_for = set(d.provider_keys)
    for e in d.exposures:
        if e.level == UNKNOWN and e.countries:
            out.append(step("verify_ownership", False, suppliers=e.suppliers))
        elif e.level == UNKNOWN:
            out.append(step("find_supplier_country", False, suppliers=e.suppliers))
        elif below(e.level, required):
            code = "replace_legal" if required == "in_control" else "replace_legal_adequate"
            out.append(step(code, True, group=e.group, group_name=e.name, countries=e.countries, systems=e.systems))
            weak = [s for s in e.systems if s in keys_for]
            if weak:
                out.append(step("customer_keys", False, group=e.group, systems=weak))
    if d.foreign_law:
        closes = not any(below(e.level, required) or e.level == UNKNOWN for e in d.exposures) and not d.no_party
        for cid, codes in d.foreign_law.items():
            out.append(step("contract_eu_law", closes, contract=cid, countries=codes))
    if d.no_party:
        out.append(step("record_supplier", False, systems=d.no_party))
    return out


def _operational_steps(d: OperationalDetail, required: str) -> list[dict]:
    out = []
    for c in d.cutoffs:
        if c.level == UNKNOWN and c.countries:
            out.append(step("verify_ownership", False, suppliers=[c.group]))
        elif c.level == UNKNOWN:
            out.append(step("find_supplier_country", False, suppliers=[c.group]))
        elif below(c.level, required):
            out.append(step("replace_operational", True, group=c.group, group_name=c.name, countries=c.countries,
                            systems=c.systems))
            exit_closes = required == "partial"
            if c.no_plan:
                out.append(step("exit_plan", exit_closes, systems=c.no_plan))
            if c.no_export:
                out.append(step("open_export", exit_closes, systems=c.no_export))
    if d.level == UNKNOWN or d.no_party:
        out.append(step("record_supplier", False, systems=d.no_party))
    return out


_STEPS = {"geographic": _geo_steps, "legal": _legal_steps, "operational": _operational_steps}


def _gap(item: dict, dim: str, detail, sources: list[dict]) -> dict | None:
    required = strictest(sources)
    actual = detail.level
    if not below(actual, required):
        return None
    missed = [s for s in sources if below(actual, s["level"])]
    severity = max(distance(actual, s["level"]) * s["weight"] for s in missed)
    gap = {"id": item["id"], "kind": item["kind"], "name": item["name"], "dimension": dim,
           "required": required, "actual": actual, "severity": severity,
           "steps": _STEPS[dim](detail, required), "required_by": missed, "reasons": detail.reasons}
    gap.update({a: item[a] for a in _ATTRIBUTES if a in item})
    return gap



def _action_keys(st: dict) -> list[tuple[tuple, dict]]:
    """The distinct actions in a step: one per supplier group, else one per system, else the step itself."""
    params = st["params"]
    if "group" in params:
        return [((st["code"], params["group"]), params)]
    if "systems" in params:
        return [((st["code"], s), {**params, "systems": [s]}) for s in params["systems"]]
    flat = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(params.items()))
    return [((st["code"], flat), params)]


@gc_paused(long_lived=True)
def actions(result: dict) -> list[dict]:
    """The steps of all gaps merged into distinct actions, the most severe first.

    An action replaces one supplier group (its systems merged), or does one
    thing for one system. ``fixes`` are the gaps it is part of the fix for
    (with the other fixing steps of that gap), ``helps`` those it only helps
    (a mitigation, an interim step, finding out); ``severity`` sums the
    severities of the gaps it fixes.

    Examples
    --------
    >>> import networkx as nx
    >>> from sovmap.graph.assessment import assess
    >>> g = nx.MultiDiGraph()
    >>> for p in ("P1", "P2"):
    ...     g.add_node(p, kind="process", name=p, criticality="vital")
    ...     _ = g.add_edge(p, "SYS", key="uses")
    >>> g.add_node("SYS", kind="system", name="Mail")
    >>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
    >>> _ = g.add_edge("SYS", "S", key="provided_by")
    >>> first = actions(assess(g))[0]
    >>> first["code"], first["severity"], [x["id"] for x in first["fixes"]]
    ('replace_operational', 384, ['P1', 'P2', 'SYS'])
    """
    merged: dict[tuple, dict] = {}
    for gap in result["gaps"]:
        ref = {"id": gap["id"], "dimension": gap["dimension"], "severity": gap["severity"]}
        seen = (gap["id"], gap["dimension"], gap["severity"])
        for st in gap["steps"]:
            for key, params in _action_keys(st):
                a = merged.get(key)
                if a is None:  # systems gathered in a set, sorted once at the end (not per step: quadratic)
                    a = merged[key] = {"code": st["code"], "params": dict(params), "systems": set(),
                                       "fixes": [], "helps": [], "seen": (set(), set())}
                if "systems" in params:
                    a["systems"].update(params["systems"])
                closes = bool(st["closes"])
                if seen not in a["seen"][closes]:
                    a["seen"][closes].add(seen)
                    (a["fixes"] if closes else a["helps"]).append(ref)
    out = []
    for a in merged.values():
        params = a["params"]
        if "systems" in params:
            params["systems"] = sorted(a["systems"])
        made = step(a["code"], bool(a["fixes"]), **params)
        made.update(fixes=a["fixes"], helps=a["helps"], severity=sum(x["severity"] for x in a["fixes"]))
        out.append(made)
    out.sort(key=lambda a: (-a["severity"], -sum(x["severity"] for x in a["helps"]), a["code"], a["text"]))
    return out

