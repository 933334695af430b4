"""Business actors and roles of an ArchiMate model in their true roles: supplier, the organisation, its teams, or to check.

A relationship alone never makes an actor a supplier: in a Softwarecatalogus
landscape the municipality is associated with every application it uses, and
in many models internal teams are assigned to the applications they run.
:func:`decide_roles` gives each ``BusinessActor`` (and a ``BusinessRole``
whose properties name its role) one of :data:`ROLES`, on evidence, in this
order:

1. the user's mapping file (``actors:`` name or id → role, see :func:`read_role_mapping`);
2. a property that names the role (``GEMMA type = Leverancier``, ``soort = Afdeling``,
   ``leverancier = ja``; the words are data, in ``archimate_roles.yaml``, and the
   mapping file's ``roles:`` adds more);
3. the business role the actor is assigned to (an actor assigned to the role
   "Leverancier" is a supplier);
4. a system property naming the actor as its supplier, operator or hosting party;
5. a part of a supplier is a supplier; a part of an organisation or team is a team;
6. a relationship to an application (Serving, Association, Assignment,
   Realization) together with the same name or alias (legal forms ignored) on
   the supplier catalogue (``ontology/reference/suppliers.yaml``), naming one
   ownership group only;
7. the model's own organisation (``main``): the one an organisation property
   names, else the actor the model's name or owner property names, else the one
   actor that holds the others (Composition/Aggregation), else the actor
   assigned to the most processes;
8. an actor assigned to processes or to applications, without supplier
   evidence, is a **team** of that organisation (``parent``: part_of it, unless
   a relationship in the model already places it);
9. an actor linked to applications with nothing else said is **unknown**: it is
   imported as a supplier of unknown ownership, marked ``role_to_check``, and
   listed for review with a question (rule ``actor-role-unknown``): never
   silently counted as European or as non-European;
10. any other actor is another party (``other``): an organisation, not a supplier.

A system whose type property expects a vendor (``GEMMA type = Pakketversie``),
or that the model's organisation is associated with, but that no supplier is
linked to, is reported too (rule ``supplier-unknown``).

Examples
--------
>>> from types import SimpleNamespace as E
>>> elements = {
...     "g": E(id="g", type="BusinessActor", name="Gemeente Zuiderwaard", line=3, props=[("GEMMA type", "Gemeente")], kind="actor"),
...     "v": E(id="v", type="BusinessActor", name="Kynthos B.V.", line=4, props=[("GEMMA type", "Leverancier")], kind="actor"),
...     "t": E(id="t", type="BusinessActor", name="Squad Zaken", line=5, props=[], kind="actor"),
...     "a": E(id="a", type="ApplicationComponent", name="Zaaksysteem", line=6, props=[], kind="system")}
>>> rels = [E(id=f"r{i}", type=t, source=s, target=a, line=None) for i, (t, s, a) in
...         enumerate([("Association", "g", "a"), ("Association", "v", "a"), ("Assignment", "t", "a")])]
>>> roles, problems = decide_roles(elements, rels, source="model.xml")
>>> [(r.name, r.role, r.main, r.parent) for r in roles.values()]
[('Gemeente Zuiderwaard', 'organisation', True, None), ('Kynthos B.V.', 'supplier', False, None), ('Squad Zaken', 'team', False, 'g')]
>>> problems
[]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, Iterable

import yaml

from .names import fold_name, fold_text
from .problems import Problem

__all__ = ["ROLES", "ACTOR_TYPES", "ActorRole", "RoleRules", "role_rules", "decide_roles", "read_role_mapping",
           "roles_yaml", "apply_roles"]

#: The roles an actor can have; ``unknown`` is the answer when nothing says which.
ROLES = ("supplier", "organisation", "team", "other")
ACTOR_TYPES = ("BusinessActor", "BusinessRole")
_LINKS = ("Serving", "Association", "Realization")  # an actor → an application, read as "provides" only with evidence
_WHOLE_PART = ("Aggregation", "Composition")
_SUPPLIER_FIELDS = ("supplier", "operator", "hosting_party", "hosting")
_TO_CHECK = "supplier or part of the organisation? (to check)"


def _token(text: Any) -> str:
    """A name or value folded for comparison: ``"GEMMA type"`` → ``"gemma_type"``."""
    return "_".join(fold_text(text).split())


@dataclass(frozen=True)
class RoleRules:
    """The words read as evidence of a role (``archimate_roles.yaml``, plus the mapping file's ``roles:``)."""

    role_properties: frozenset[str]
    supplier_flags: frozenset[str]
    yes: frozenset[str]
    values: dict[str, str]
    vendor_expected: frozenset[str]
    owner_properties: frozenset[str]

    def with_values(self, extra: dict[str, str]) -> "RoleRules":
        """These rules with more value → role words (the user's own win)."""
        return replace(self, values={**self.values, **{_token(k): v for k, v in extra.items()}})

    def from_properties(self, props: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
        """(role, why) from an element's properties, or None.

        >>> role_rules().from_properties([("Object ID", "123"), ("GEMMA type", "Leverancier")])
        ('supplier', 'property GEMMA type = Leverancier')
        >>> role_rules().from_properties([("leverancier", "ja")]), role_rules().from_properties([("soort", "Extern")])
        (('supplier', 'property leverancier = ja'), None)
        """
        for pname, value in props:
            p, v = _token(pname), _token(value)
            if p in self.role_properties and v in self.values:
                return self.values[v], f"property {pname} = {value}"
            if p in self.supplier_flags and (v in self.yes or not v):
                return "supplier", f"property {pname} = {value}".rstrip(" =")
        return None

    def type_of(self, props: Iterable[tuple[str, str]]) -> str | None:
        """The value of the first role property (a system's ``GEMMA type``), folded."""
        return next((_token(v) for p, v in props if _token(p) in self.role_properties and v), None)


@cache
def role_rules() -> RoleRules:
    """The packaged rules (``ingest/archimate_roles.yaml``)."""
    data = yaml.safe_load(resources.files("sovmap.ingest").joinpath("archimate_roles.yaml").read_text("utf-8"))
    unknown = set(data["values"]) - set(ROLES)
    if unknown:
        raise ValueError(f"archimate_roles.yaml names unknown roles {sorted(unknown)}; known: {list(ROLES)}")
    words = [w for key in ("role_properties", "supplier_flags", "yes", "vendor_expected", "owner_properties")
             for w in data[key]] + [w for ws in data["values"].values() for w in ws]
    if not all(isinstance(w, str) for w in words):  # a bare yes/no/on/off is read by YAML as true/false
        raise ValueError(f"archimate_roles.yaml: quote these words: {[w for w in words if not isinstance(w, str)]}")
    tokens = lambda key: frozenset(_token(x) for x in data[key])  # noqa: E731
    return RoleRules(tokens("role_properties"), tokens("supplier_flags"), tokens("yes"),
                     {_token(w): role for role, words in data["values"].items() for w in words},
                     tokens("vendor_expected"), tokens("owner_properties"))


@dataclass(frozen=True)
class ActorRole:
    """What an actor (or business role) of the model is, and why.

    ``role`` is one of :data:`ROLES` or ``unknown``; ``main`` marks the model's
    own organisation; ``parent`` is the element id of the organisation a team
    is part of, where no relationship in the model already says so.
    """

    id: str
    name: str
    type: str
    role: str
    why: str
    main: bool = False
    parent: str | None = None

    @property
    def kind(self) -> str:
        """The inventory kind it becomes: ``supplier`` (also while unknown) or ``organisation``."""
        return "supplier" if self.role in ("supplier", "unknown") else "organisation"


def _label(e) -> str:
    return f'{e.type} "{e.name}" ({e.id})' if e.name else f"{e.type} {e.id}"


def _names(items: list, limit: int = 3) -> str:
    shown = ", ".join(f'"{x.name or x.id}"' for x in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


@cache
def _default_catalogue():
    from .catalogue import load_catalogue

    return load_catalogue()


def _catalogue_names(cat) -> dict[str, list]:
    """Folded name or alias (with and without legal form) → catalogue entries."""
    out: dict[str, list] = defaultdict(list)
    for e in cat:
        for text in (e.name, *e.aliases):
            for key in {fold_text(text), fold_name(text)} - {""}:
                if e not in out[key]:
                    out[key].append(e)
    return dict(out)


@cache
def _default_names() -> dict[str, list]:
    return _catalogue_names(_default_catalogue())


def _catalogue_matcher(catalogue=None):
    """A function: name → the catalogue entry it is, by name or alias (legal forms ignored), when that names one
    ownership group only; else None.

    Stricter than :func:`sovmap.ingest.matching.match_name` (no spelling
    variants), and one dictionary look-up per actor, however large the model.

    >>> match = _catalogue_matcher()
    >>> match("Amazon Web Services"), match("Centric Nederland B.V."), match("Team Burgerzaken")
    ('Amazon Web Services, Inc. (CAT-AWS)', 'Centric (CAT-CENTRIC)', None)
    """
    cat = catalogue or _default_catalogue()
    index = _catalogue_names(cat) if catalogue is not None else _default_names()

    def match(name: str) -> str | None:
        hits = index.get(fold_text(name)) or index.get(fold_name(name)) or []
        if not hits or len({cat.chain(e.id)[-1] for e in hits}) > 1:
            return None
        best = min(hits, key=lambda e: len(cat.chain(e.id)))  # the entry highest in its chain
        return f"{best.name} ({best.id})"

    return match


def decide_roles(elements: dict, rels: list, *, source: str, model_name: str = "",
                 model_props: Iterable[tuple[str, str]] = (), mapping: dict | None = None,
                 rules: RoleRules | None = None, catalogue=None) -> tuple[dict[str, ActorRole], list[Problem]]:
    """Decide the role of every business actor, and of every business role whose properties or mapping name one.

    Parameters
    ----------
    elements
        Element id → element (``id``, ``type``, ``name``, ``line``, ``props``, ``kind``
        as :mod:`sovmap.ingest.archimate` reads them).
    rels
        The relationships (``id``, ``type``, ``source``, ``target``), 2.1 names already read as 3.x names.
    source
        The file name, for the problems.
    model_name, model_props
        The model's own name and properties (an owner property names its organisation).
    mapping
        The user's mapping (:func:`read_role_mapping`): ``actors`` and ``roles``.
    rules
        The words read as evidence; the packaged ones by default.
    catalogue
        The supplier catalogue to match names on; the packaged one by default.

    Returns
    -------
    dict of str to ActorRole, list of Problem
        The decided actors in model order (a business role without a role of its own is absent: it is
        reported as an element without counterpart), and an ``actor-role-unknown`` or ``supplier-unknown``
        warning for each actor and system to check.
    """
    mapping = mapping or {}
    rules = (rules or role_rules()).with_values(mapping.get("roles") or {})
    user = mapping.get("actors") or {}
    user_folded = {fold_text(k): v for k, v in user.items()}
    actors = {i: e for i, e in elements.items() if e.type in ACTOR_TYPES}
    decided: dict[str, tuple[str, str]] = {}

    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # actor → system → relationship types
    assigned_systems: dict[str, set[str]] = defaultdict(set)
    processes: dict[str, set[str]] = defaultdict(set)
    plays: dict[str, set[str]] = defaultdict(set)
    wholes: dict[str, set[str]] = defaultdict(set)
    for r in rels:
        s, t = elements.get(r.source), elements.get(r.target)
        if s is None or t is None:
            continue
        if r.type == "Assignment" and s.id in actors:
            if t.kind == "process":
                processes[s.id].add(t.id)
            elif t.kind == "system":
                assigned_systems[s.id].add(t.id)
                links[s.id][t.id].add(r.type)
            elif t.type == "BusinessRole" and s.type == "BusinessActor":
                plays[s.id].add(t.id)
        elif r.type in _LINKS:
            for a, b in ((s, t), (t, s)) if r.type == "Association" else ((s, t),):
                if a.id in actors and b.kind == "system":
                    links[a.id][b.id].add(r.type)
        elif r.type in _WHOLE_PART and s.id in actors and t.id in actors:
            wholes[t.id].add(s.id)
    for actor, roles in plays.items():  # what the actor's roles perform, it performs
        for role in roles:
            processes[actor] |= processes.get(role, set())

    # 1-2. The mapping file, then properties (a business role's own name is a classification, not an actor).
    for e in actors.values():
        role = user.get(e.id) or user.get(e.name) or user_folded.get(fold_text(e.name))
        if role:
            decided[e.id] = (role, "the mapping file")
        elif (found := rules.from_properties(e.props)) is not None:
            decided[e.id] = found
    classifiers = {e.id: rules.values[_token(e.name)] for e in actors.values()
                   if e.type == "BusinessRole" and e.id not in decided and _token(e.name) in rules.values}
    undecided = lambda: [e for e in actors.values() if e.type == "BusinessActor" and e.id not in decided]  # noqa: E731

    # 3. The business role it is assigned to.
    for e in undecided():
        for role_id in sorted(plays.get(e.id, ())):
            role = decided.get(role_id, (classifiers.get(role_id),))[0]
            if role:
                decided[e.id] = (role, f'assigned to the business role "{elements[role_id].name}"')
                break

    # 4. Named as supplier, operator or hosting party in a property of a system or location.
    from .flatlist import field_for

    named = {fold_name(v) for e in elements.values() if e.kind in ("system", "location")
             for p, v in e.props if v and field_for(p) in _SUPPLIER_FIELDS}
    for e in undecided():
        if fold_name(e.name) in named:
            decided[e.id] = ("supplier", "a system's supplier property names it")

    def structure() -> None:
        """5. Parts of a supplier are suppliers; parts of an organisation or team are teams (until nothing changes)."""
        changed = True
        while changed:
            changed = False
            for e in undecided():
                for w in sorted(wholes.get(e.id, ())):
                    role = decided.get(w, ("",))[0]
                    if role in ("supplier", "organisation", "team"):
                        decided[e.id] = ("supplier" if role == "supplier" else "team", f'part of "{elements[w].name}"')
                        changed = True
                        break

    structure()
    # 6. A relationship to an application and a catalogue match.
    linked = [e for e in undecided() if links.get(e.id)]
    match = _catalogue_matcher(catalogue) if linked else None
    for e in linked:
        if (entry := match(e.name)):
            decided[e.id] = ("supplier", f"linked to an application and on the supplier catalogue as {entry}")
    structure()

    # 7. The model's own organisation.
    main, main_why = _main_organisation(actors, decided, processes, wholes, model_name, model_props, rules)
    if main is not None and main not in decided:
        decided[main] = ("organisation", main_why)
    structure()

    # 8. Teams: actors assigned to processes or applications, without supplier evidence.
    for e in undecided():
        if processes.get(e.id) or assigned_systems.get(e.id):
            did = [elements[x] for x in sorted(processes.get(e.id, ()))] or [elements[x] for x in sorted(assigned_systems[e.id])]
            what = "processes" if processes.get(e.id) else "applications"
            decided[e.id] = ("team", f"assigned to {what} {_names(did)}, and nothing says it is a supplier")

    # 9-10. Linked to applications with nothing said: to check; the others are other parties.
    problems: list[Problem] = []
    for e in undecided():
        if links.get(e.id):
            systems = [elements[x] for x in links[e.id]]
            how = " and ".join(sorted({t for ts in links[e.id].values() for t in ts}))
            decided[e.id] = ("unknown", f"linked to applications ({how}) with nothing saying which role")
            problems.append(Problem(
                "actor-role-unknown", source, e.line, "element", e.id,
                f'{e.name or e.id} ({e.type}, id {e.id}) is linked by {how} to {len(systems)} application'
                f'{"s" if len(systems) != 1 else ""} ({_names(systems)}), but nothing says whether it is a supplier or '
                "part of your organisation. It was imported as a supplier of unknown ownership, marked role_to_check: "
                "to check, never counted as European nor as non-European.",
                f'Add a property type=Leverancier or type=Afdeling to it in the model, or map it in a mapping file '
                f'(actors: {{"{e.name or e.id}": supplier | team | organisation | other}}) and convert again with --mapping.'))
        else:
            decided[e.id] = ("other", "nothing links it to an application or says it is a supplier")

    out: dict[str, ActorRole] = {}
    for e in actors.values():
        if e.id not in decided:
            continue
        role, why = decided[e.id]
        parent = None
        if role == "team" and main is not None and main != e.id and not any(w in decided for w in wholes.get(e.id, ())):
            parent = main
        if e.id == main and "model's own" not in why:
            why += "; the model's own organisation"
        out[e.id] = ActorRole(e.id, e.name, e.type, role, why, e.id == main, parent)
    problems += _vendors_unknown(elements, rels, out, links, rules, source)
    return out, problems


def _main_organisation(actors, decided, processes, wholes, model_name, model_props, rules) -> tuple[str | None, str]:
    """The model's own organisation (element id) and why, or (None, '')."""
    orgs = [i for i, (role, _) in decided.items() if role == "organisation"]
    owners = {fold_text(v) for p, v in model_props if _token(p) in rules.owner_properties and v}
    model = f" {fold_text(model_name)} "

    def named(e) -> bool:
        name = fold_text(e.name)
        return len(name) >= 3 and (name in owners or f" {name} " in model)

    def most_named(ids: list[str]) -> str | None:
        """The one actor the model names, or the longest of several ("Gemeente Zuiderwaard" over "ICT")."""
        ranked = sorted(((len(fold_text(actors[i].name)), i) for i in ids if named(actors[i])), reverse=True)
        return ranked[0][1] if ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]) else None

    free = [e for e in actors.values() if e.type == "BusinessActor" and e.id not in decided]
    if (found := most_named(orgs) or (orgs[0] if len(orgs) == 1 else None)) is not None:
        return found, ""
    if orgs:
        return None, ""  # several organisations, none named by the model: none is assumed to be the model's own
    if (found := most_named([e.id for e in free])) is not None:
        return found, "the model's name or owner names it (the model's own organisation)"
    holders = {w for ws in wholes.values() for w in ws}
    roots = [e.id for e in free if e.id in holders and not wholes.get(e.id)]
    if len(roots) == 1:
        return roots[0], "the other actors are part of it (the model's own organisation)"
    counts = sorted(((len(processes.get(e.id, ())), e.id) for e in free), reverse=True)
    if counts and counts[0][0] > 0 and (len(counts) == 1 or counts[0][0] > counts[1][0]):
        return counts[0][1], f"assigned to the most processes ({counts[0][0]}): the model's own organisation"
    return None, ""


def _vendors_unknown(elements, rels, roles: dict[str, ActorRole], links, rules: RoleRules, source: str) -> list[Problem]:
    """A ``supplier-unknown`` warning for each system that expects a vendor (by its type property, or used by the organisation) but has none."""
    from .flatlist import field_for

    supplied = {sid for a, systems in links.items() if a in roles and roles[a].kind == "supplier" for sid in systems}
    main = next((r.id for r in roles.values() if r.main), None)
    used = set(links.get(main, {})) if main else set()
    out = []
    for e in elements.values():
        if e.kind != "system" or e.id in supplied:
            continue
        if any(v for p, v in e.props if field_for(p) in ("supplier", "operator", "hosting_party")):
            continue
        typed = rules.type_of(e.props)
        if typed in rules.vendor_expected or e.id in used:
            why = (f"it is a {next(v for p, v in e.props if _token(p) in rules.role_properties and v)}"
                   if typed in rules.vendor_expected else f'"{roles[main].name}" uses it')
            out.append(Problem(
                "supplier-unknown", source, e.line, "element", e.id,
                f"{_label(e)}: {why}, but the model names no supplier for it; it counts as a system without supplier.",
                "Associate the supplier's business actor (with a property type=Leverancier) with it, or give it a "
                "property leverancier=<name>, and convert again."))
    return out


def apply_roles(d, elements: dict, roles: dict[str, ActorRole]) -> None:
    """After the actors were added to the draft ``d``: mark those to check, and place teams in their organisation."""
    for r in roles.values():
        e = elements[r.id]
        if e.node is None:
            continue
        if r.role == "unknown":
            d.set(e.node, "role_to_check", _TO_CHECK, line=e.line)
        if r.parent is not None and elements[r.parent].node is not None:
            d.link(e.node, elements[r.parent].node, "part_of", line=e.line)


def read_role_mapping(data: dict, source: str) -> tuple[dict, list[Problem]]:
    """The ``actors:`` and ``roles:`` sections of a mapping file, checked.

    ``actors`` maps an actor's name or ArchiMate id to a role; ``roles`` maps a
    property value (as in ``type = Ketenpartner``) to a role.

    >>> read_role_mapping({"actors": {"Squad Zaken": "team"}, "roles": {"Ketenpartner": "supplier"}}, "m.yaml")
    ({'actors': {'Squad Zaken': 'team'}, 'roles': {'Ketenpartner': 'supplier'}}, [])
    >>> read_role_mapping({"actors": {"Squad Zaken": "teams"}}, "m.yaml")[1][0].message
    '"teams" is not a role.'
    """
    out: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for section in ("actors", "roles"):
        table = data.get(section) or {}
        if not isinstance(table, dict):
            problems.append(Problem("bad-mapping", source, None, section, None, f"The {section}: section is not a list of "
                                    "name: role lines.", f'Write e.g. {section}: {{"Squad Zaken": team}}.'))
            continue
        for key, role in table.items():
            role = str(role).strip().lower()
            if role not in ROLES:
                problems.append(Problem("bad-mapping", source, None, section, str(role), f'"{role}" is not a role.',
                                        f"Roles: {', '.join(ROLES)}."))
            else:
                out.setdefault(section, {})[str(key).strip()] = role
    return out, problems


def roles_yaml(roles: Iterable[ActorRole], source: str = "") -> str:
    """The actors' roles as the ``actors:`` section of a mapping file, to correct and pass back with ``--mapping``.

    Actors still to check are written commented out, with the choices.

    >>> print(roles_yaml([ActorRole("a1", "Squad Zaken", "BusinessActor", "team", "assigned to processes"),
    ...                   ActorRole("a2", "Partner X", "BusinessActor", "unknown", "linked to applications")], "model.xml"))
    # Roles of the business actors in model.xml: supplier, organisation, team or other.
    # Correct a role, or choose one where it says "to check", and convert again with --mapping.
    actors:
      Squad Zaken: team  # assigned to processes
    #  Partner X: supplier | team | organisation | other  # to check: linked to applications
    <BLANKLINE>
    """
    roles = list(roles)
    counts: dict[str, int] = defaultdict(int)
    for r in roles:
        counts[fold_text(r.name)] += 1
    lines = [f"# Roles of the business actors in {source}: supplier, organisation, team or other." if source else
             "# Roles of the business actors: supplier, organisation, team or other.",
             '# Correct a role, or choose one where it says "to check", and convert again with --mapping.',
             "actors:"]
    for r in roles:
        key = r.name if r.name and counts[fold_text(r.name)] == 1 else r.id
        key = yaml.safe_dump(key, allow_unicode=True, width=1000).strip().removesuffix("...").strip()
        why = " ".join(r.why.split())
        if r.role == "unknown":
            lines.append(f"#  {key}: supplier | team | organisation | other  # to check: {why}")
        else:
            lines.append(f"  {key}: {r.role}  # {why}" if why else f"  {key}: {r.role}")
    return "\n".join(lines) + "\n"
