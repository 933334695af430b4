"""Sovereignty policy: the level of control each data set, process and system needs.

A policy is a small YAML file (the default, ``policy.yaml`` beside this module,
documents the format in its comments). It names, per value of a data set's
classification or personal_data and a process's criticality, the level required
in each dimension and a weight. :func:`parse_policy` checks a user's file and
returns problems as data (file, line, key, value, message, hint), never a
traceback. :func:`requirements` applies a policy to a graph: data sets and
processes need what their own attributes require; a system needs the strictest
of everything that runs on it.

Examples
--------
>>> p = default_policy()
>>> p.requirement("classification", "secret").levels["legal"]
'in_control'
>>> policy, problems = parse_policy("requirements:\\n  classificatie:\\n    geheim: {juridisch: incontrol}\\n",
...                                 "mine.yaml")
>>> policy is None
True
>>> print(problems[0])
mine.yaml line 3, key requirements.classificatie.geheim.juridisch: "incontrol" is not a level of control. Did you mean "in_control"? Accepted: in_control (in controle), partial (deels), not_in_control (niet in controle).
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources

import networkx as nx
import yaml

from sovmap.ontology.vocab import normalise_token, vocabulary

from .levels import UNKNOWN, dimensions, level_label, levels, parse_dimension, parse_level, rank
from .ownership import ReachPolicy

__all__ = [
    "Requirement",
    "Policy",
    "PolicyProblem",
    "REQUIREMENT_KINDS",
    "policy_attributes",
    "parse_policy",
    "default_policy",
    "requirements",
    "strictest",
]

# Kinds whose own attributes carry requirements; systems inherit theirs.
REQUIREMENT_KINDS = ("dataset", "process")
_WEIGHT_KEYS = ("weight", "gewicht")
_TOP_KEYS = ("name", "description", "requirements", "reach")
# The reach section: key → (Dutch alias, kind of value).
_REACH_KEYS = {"registration": ("vestiging", "bool"), "headquarters": ("hoofdkantoor", "bool"),
               "listing": ("beursnotering", "bool"), "owners": ("eigenaren", "bool"),
               "co_owners": ("mede_eigenaren", "bool"), "co_owner_share": ("minimaal_aandeel", "share")}


@dataclass(frozen=True)
class Requirement:
    """What one attribute value requires: a level per dimension (absent: none) and a weight."""

    attribute: str
    value: str
    levels: dict[str, str] = field(default_factory=dict)
    weight: int = 1


@dataclass(frozen=True)
class Policy:
    """A validated policy."""

    name: str
    source: str
    requirements: tuple[Requirement, ...]
    description: str = ""
    reach: ReachPolicy = field(default_factory=ReachPolicy)

    def requirement(self, attribute: str, value: str | None) -> Requirement | None:
        for r in self.requirements:
            if r.attribute == attribute and r.value == value:
                return r
        return None

    def as_dict(self) -> dict:
        return {"name": self.name, "source": self.source, "description": self.description,
                "requirements": [asdict(r) for r in self.requirements], "reach": self.reach.as_dict()}


@dataclass(frozen=True)
class PolicyProblem:
    """One finding in a policy file: where (file, line, key), what value, what is wrong, how to fix it."""

    file: str
    line: int | None
    key: str | None
    value: str | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.key:
            where += f", key {self.key}"
        text = f"{where}: {self.message}"
        return f"{text} {self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        return asdict(self)


@cache
def policy_attributes() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Attributes a policy may name: column key → (enumeration id, accepted headers), from the ontology."""
    v = vocabulary()
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for kind in REQUIREMENT_KINDS:
        for c in v.kind(kind).columns:
            if c.enum:
                out[c.key] = (c.enum, c.aliases)
    return out


def _did_you_mean(text: str, choices) -> str:
    hit = difflib.get_close_matches(normalise_token(text), [normalise_token(c) for c in choices], n=1, cutoff=0.6)
    if not hit:
        return ""
    original = next(c for c in choices if normalise_token(c) == hit[0])
    return f'Did you mean "{original}"? '


class _Checker:
    """Walks the composed YAML (which keeps line numbers) and collects problems."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[PolicyProblem] = []

    def add(self, node, key: str | None, message: str, hint: str = "", value: str | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(PolicyProblem(self.source, line, key, value, message, hint.strip()))

    def mapping(self, node, key: str | None, what: str) -> list | None:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.MappingNode):
            self.add(node, key, f"{what} must be a mapping of names to values (name: value).",
                     "Indent the entries below it, one per line.")
            return None
        return node.value

    def scalar(self, node, key: str, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.add(node, key, f"{what} must be a single value, not a list or mapping.")
            return None
        return node.value


def _join(key: str | None, part: str) -> str:
    return f"{key}.{part}" if key else part


def _check_entry(ck: _Checker, node, key: str, attribute: str, value: str) -> Requirement | None:
    pairs = ck.mapping(node, key, "A requirement")
    if pairs is None:
        return None
    req_levels: dict[str, str] = {}
    weight = 1
    ok = True
    accepted_levels = " | ".join(f"{lv} ({level_label(lv, 'nl')})" for lv in levels())
    for knode, vnode in pairs:
        name = str(knode.value)
        here = _join(key, name)
        if normalise_token(name) in _WEIGHT_KEYS:
            raw = ck.scalar(vnode, here, "The weight")
            if raw is None:
                ok = False
            elif not vnode.tag.endswith(":int") or int(raw) < 1:
                ck.add(vnode, here, f'"{raw}" is not a valid weight.', "Give a whole number of at least 1, e.g. 16.",
                       raw)
                ok = False
            else:
                weight = int(raw)
            continue
        dim = parse_dimension(name)
        if dim is None:
            choices = [*dimensions(), "weight"]
            ck.add(knode, here, f'"{name}" is not a dimension.',
                   _did_you_mean(name, choices) + f"Accepted: {', '.join(choices)} "
                   "(Dutch: geografisch, juridisch, operationeel, gewicht).", name)
            ok = False
            continue
        if dim in req_levels:
            ck.add(knode, here, f'The dimension "{dim}" is given twice.', "Keep one of them.", name)
            ok = False
            continue
        raw = ck.scalar(vnode, here, "A level")
        if raw is None:
            ok = False
            continue
        if vnode.tag.endswith(":null"):
            continue  # explicitly no requirement
        level = parse_level(raw)
        if level is None or level == UNKNOWN:
            ck.add(vnode, here, f'"{raw}" is not a level of control.',
                   _did_you_mean(raw, levels()) + "Accepted: " + accepted_levels.replace(" | ", ", ") + ".", raw)
            ok = False
            continue
        req_levels[dim] = level
    if not ok:
        return None
    return Requirement(attribute=attribute, value=value, levels=req_levels, weight=weight)


def _check_reach(ck: _Checker, node) -> ReachPolicy | None:
    """The reach section: which countries and owners extend a supplier's legal reach."""
    pairs = ck.mapping(node, "reach", "reach")
    if pairs is None:
        return None
    values: dict = {}
    ok = True
    for knode, vnode in pairs:
        name = str(knode.value)
        here = _join("reach", name)
        key = next((k for k, (nl, _) in _REACH_KEYS.items() if normalise_token(name) in (k, nl)), None)
        if key is None:
            choices = list(_REACH_KEYS)
            ck.add(knode, here, f'"{name}" is not a key of reach.',
                   _did_you_mean(name, choices) + f"Accepted: {', '.join(choices)}.", name)
            ok = False
            continue
        raw = ck.scalar(vnode, here, "A reach setting")
        if raw is None:
            ok = False
            continue
        if _REACH_KEYS[key][1] == "bool":
            if not vnode.tag.endswith(":bool"):
                ck.add(vnode, here, f'"{raw}" is not true or false.', "Write true or false.", raw)
                ok = False
                continue
            values[key] = normalise_token(raw) in ("true", "yes", "on")
        else:
            try:
                share = float(raw)
            except ValueError:
                share = -1.0
            if not 0 <= share <= 100 or not vnode.tag.endswith((":int", ":float")):
                ck.add(vnode, here, f'"{raw}" is not a share in percent.', "Give a number from 0 to 100, e.g. 25.", raw)
                ok = False
                continue
            values[key] = share
    return ReachPolicy(**values) if ok else None


def parse_policy(text: str | bytes, source: str = "policy.yaml") -> tuple[Policy | None, list[PolicyProblem]]:
    """Check a policy's text; return the policy, or None with every problem found.

    Examples
    --------
    >>> p, problems = parse_policy("requirements:\\n  criticality:\\n    vitaal: {operationeel: in controle}\\n")
    >>> problems, p.requirement("criticality", "vital").levels
    ([], {'operational': 'in_control'})
    """
    ck = _Checker(source)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            ck.add(None, None, "The file is not UTF-8 text.", "Save it as a UTF-8 text (YAML) file.")
            return None, ck.problems
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        ck.problems.append(PolicyProblem(source, line, None, None, f"The file is not valid YAML: {what}.",
                                         "Check the indentation and the colons on that line."))
        return None, ck.problems
    if root is None:
        ck.add(None, None, "The policy is empty.", "Start from the default policy (policy.yaml) and change it.")
        return None, ck.problems
    top = ck.mapping(root, None, "The policy")
    if top is None:
        return None, ck.problems
    name, description = "", ""
    reach = ReachPolicy()
    reqs: list[Requirement] = []
    attrs = policy_attributes()
    found_requirements = False
    for knode, vnode in top:
        key = str(knode.value)
        if key not in _TOP_KEYS:
            ck.add(knode, key, f'"{key}" is not a known key.',
                   _did_you_mean(key, _TOP_KEYS) + f"Accepted: {', '.join(_TOP_KEYS)}.", key)
            continue
        if key == "reach":
            reach = _check_reach(ck, vnode) or reach
            continue
        if key in ("name", "description"):
            val = ck.scalar(vnode, key, f"The {key}")
            if key == "name":
                name = val or ""
            else:
                description = val or ""
            continue
        found_requirements = True
        for anode, entries in ck.mapping(vnode, key, "requirements") or []:
            aname = str(anode.value)
            akey = _join(key, aname)
            attribute = next((a for a, (_, headers) in attrs.items() if normalise_token(aname) in headers), None)
            if attribute is None:
                ck.add(anode, akey, f'"{aname}" is not an attribute a policy can set requirements for.',
                       _did_you_mean(aname, list(attrs)) + f"Accepted: {', '.join(attrs)}.", aname)
                continue
            enum = vocabulary().enum(attrs[attribute][0])
            for vnode2, entry in ck.mapping(entries, akey, f'"{aname}"') or []:
                vname = str(vnode2.value)
                vkey = _join(akey, vname)
                ev = enum.parse(vname)
                if ev is None:
                    accepted = ", ".join(f"{v.id} ({v.label('nl')})" for v in enum.values)
                    ck.add(vnode2, vkey, f'"{vname}" is not a value of {attribute}.',
                           _did_you_mean(vname, [a for v in enum.values for a in v.aliases]) + f"Accepted: {accepted}.",
                           vname)
                    continue
                if any(r.attribute == attribute and r.value == ev.id for r in reqs):
                    ck.add(vnode2, vkey, f'The value "{ev.id}" of {attribute} is given twice.',
                           "Keep one entry for it (English and Dutch names count as the same value).", vname)
                    continue
                req = _check_entry(ck, entry, vkey, attribute, ev.id)
                if req is not None:
                    reqs.append(req)
    if not found_requirements and not ck.problems:
        ck.add(root, None, 'The policy has no "requirements".',
               "Add a requirements: section (see the default policy.yaml for the format).")
    if ck.problems:
        return None, ck.problems
    return Policy(name=name or source, source=source, requirements=tuple(reqs), description=description,
                  reach=reach), []


@cache
def default_policy() -> Policy:
    """The policy shipped with sovmap (``policy.yaml``)."""
    text = resources.files("sovmap.graph").joinpath("policy.yaml").read_text("utf-8")
    policy, problems = parse_policy(text, "policy.yaml (default)")
    if policy is None:  # pragma: no cover - the shipped file is tested
        raise ValueError("; ".join(map(str, problems)))
    return policy


def strictest(sources: list[dict]) -> str | None:
    """The highest level among requirement sources (each a dict with ``level``), or None."""
    return max((s["level"] for s in sources), key=rank, default=None)


def _own_sources(g: nx.MultiDiGraph, node: str, policy: Policy) -> dict[str, list[dict]]:
    data = g.nodes[node]
    out: dict[str, list[dict]] = {}
    for attribute in policy_attributes():
        value = data.get(attribute)
        req = policy.requirement(attribute, value) if value else None
        if req is None:
            continue
        for dim, level in req.levels.items():
            out.setdefault(dim, []).append({"id": node, "kind": data["kind"], "attribute": attribute,
                                            "value": value, "level": level, "weight": req.weight})
    return out


def requirements(g: nx.MultiDiGraph, policy: Policy,
                 runs_on: dict[str, frozenset[str]]) -> dict[str, dict[str, list[dict]]]:
    """For every data set, process and system: dimension → the requirements that apply, each with its source.

    ``runs_on`` maps a node to the systems it runs on (itself included for a
    system), as :func:`sovmap.graph.assessment.assessment_facts` computes it.
    A source is ``{"id", "kind", "attribute", "value", "level", "weight"}``;
    a system's sources are those of the data sets and processes that run on it.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("D", kind="dataset", name="Files", classification="secret")
    >>> g.add_node("S", kind="system", name="Store")
    >>> req = requirements(g, default_policy(), {"D": frozenset({"S"}), "S": frozenset({"S"})})
    >>> strictest(req["S"]["legal"]), req["S"]["legal"][0]["id"]
    ('in_control', 'D')
    """
    out: dict[str, dict[str, list[dict]]] = {n: {} for n in runs_on}
    for n in runs_on:
        if g.nodes[n].get("kind") not in REQUIREMENT_KINDS:
            continue
        own = _own_sources(g, n, policy)
        for dim, sources in own.items():
            out[n].setdefault(dim, []).extend(sources)
            for s in runs_on[n]:
                if s != n:
                    out[s].setdefault(dim, []).extend(sources)
    order = {d: i for i, d in enumerate(dimensions())}
    for n, by_dim in out.items():
        for dim in by_dim:
            by_dim[dim].sort(key=lambda s: (-rank(s["level"]), -s["weight"], s["id"], s["attribute"]))
        out[n] = dict(sorted(by_dim.items(), key=lambda kv: order[kv[0]]))
    return out
