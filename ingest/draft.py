"""An inventory being assembled by an importer: canonical rows, then the one validator.

Importers (flat application lists, ArchiMate, GEMMA) do not build records
themselves. They add nodes and links to a :class:`Draft`, which lays them out
as the canonical inventory tables (``RawTable`` objects with English headers)
and hands those to :func:`sovmap.ingest.validate.validate`, so every imported
inventory passes exactly the checks a hand-made CSV inventory passes.

A link goes where a person would write it: into the subject's own reference
column (``supplier_id``, ``location_id``, ``parent_id`` ...) while that is
empty, otherwise into the dependencies table. Values that disagree with what
is already there are reported (rule ``conflicting-value``), never overwritten
silently.

Examples
--------
>>> d = Draft("apps.csv")
>>> s = d.add("supplier", "Centric Netherlands B.V.", key="centric", line=2, country="NL")
>>> a = d.add("system", "Zaaksysteem", line=2)
>>> d.link(a, s)
True
>>> d.add("supplier", "Centric", key="centric", line=3) == s
True
>>> inv, problems = d.load()
>>> [(e.source, e.relation, e.target) for e in inv.edges]
[('SYS-ZAAKSYSTEEM', 'provided_by', 'S-CENTRIC-NETHERLANDS'), ('S-CENTRIC-NETHERLANDS', 'registered_in', 'country:NL')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sovmap.ontology.vocab import DEPENDENCY, vocabulary

from .names import fold_name, fold_text, legal_form
from .problems import Problem
from .read import RawTable
from .validate import Inventory, validate

__all__ = ["Conversion", "Draft", "ID_PREFIX", "slug"]

#: The id prefix of each kind, as in the demo inventory.
ID_PREFIX = {"organisation": "ORG", "process": "P", "dataset": "D", "system": "SYS", "location": "L", "supplier": "S",
             "contract": "C"}

def slug(text: str, length: int = 32) -> str:
    """Upper-case ASCII id part of a name: accents folded, a trailing legal form dropped.

    >>> slug("Gemeentelijke Basisregistratie Personen (BRP)")
    'GEMEENTELIJKE-BASISREGISTRATIE-P'
    >>> slug("Coöperatie Gemeentelijke B.V."), slug("***")
    ('COOPERATIE-GEMEENTELIJKE', 'X')
    """
    s = "-".join(fold_name(text).split()).upper()
    return s[:length].rstrip("-") or "X"


class Draft:
    """Canonical inventory rows collected by an importer, with the problems found on the way.

    Parameters
    ----------
    source
        The name of the imported file, used in every problem and as the file
        name of the canonical tables (``"apps.xlsx (systems)"``).
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self._rows: dict[str, dict[str, dict[str, str]]] = {k.id: {} for k in vocabulary().file_kinds}
        self._kind: dict[str, str] = {}
        self._line: dict[str, int | None] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self._deps: list[tuple[int | None, dict[str, str]]] = []
        self._dep_seen: set[tuple[str, str, str, str | None]] = set()

    # --- nodes -----------------------------------------------------------------

    def __contains__(self, node_id: str) -> bool:
        return node_id in self._kind

    def kind_of(self, node_id: str) -> str:
        """The kind of a node already added."""
        return self._kind[node_id]

    def ids(self, kind: str) -> list[str]:
        """Ids of the nodes of one kind, in the order they were added."""
        return list(self._rows[kind])

    def find(self, kind: str, key: str) -> str | None:
        """The id of the node of ``kind`` added under dedupe ``key``, or None."""
        return self._keys.get((kind, key))

    def alias(self, kind: str, key: str, node_id: str) -> None:
        """Let :meth:`find` and :meth:`add` also find ``node_id`` under ``key`` (first come, first served)."""
        self._keys.setdefault((kind, key), node_id)

    def new_id(self, kind: str, name: str) -> str:
        """A fresh id for a node of ``kind`` called ``name``.

        The name without its legal form first (``S-MICROSOFT``), then with it
        (``S-MICROSOFT-CORPORATION``), then numbered (``S-MICROSOFT-2``).
        """
        base = f"{ID_PREFIX[kind]}-{slug(name)}"
        form = legal_form(name).upper()
        full = f"{base}-{form}" if form else f"{ID_PREFIX[kind]}-{'-'.join(fold_text(name).split()).upper()[:40].rstrip('-') or 'X'}"
        if base not in self._kind:
            return base
        if full not in self._kind:
            return full  # "Microsoft Corporation" next to "Microsoft B.V."
        n = 2
        while f"{base}-{n}" in self._kind:
            n += 1
        return f"{base}-{n}"

    def add(self, kind: str, name: str, *, id: str | None = None, key: str | None = None,
            line: int | None = None, **values: str) -> str:
        """Add a node (or find the one added under the same ``key``) and return its id.

        ``values`` are canonical column keys (``country``, ``criticality`` ...) or
        extra column names; empty values are ignored. When ``key`` was seen
        before, the existing node is returned and its empty cells are filled;
        differing values are reported.
        """
        if key is not None and (kind, key) in self._keys:
            node_id = self._keys[(kind, key)]
            for col, value in values.items():
                self.set(node_id, col, value, line=line)
            return node_id
        if id is not None and id in self._kind:
            raise ValueError(f"id {id!r} is already used")  # callers pass ids they made unique
        node_id = id or self.new_id(kind, name)
        self._kind[node_id] = kind
        self._line[node_id] = line
        self._rows[kind][node_id] = {"id": node_id, "name": str(name).strip()}
        if key is not None:
            self._keys[(kind, key)] = node_id
        for col, value in values.items():
            self.set(node_id, col, value, line=line)
        return node_id

    def get(self, node_id: str, column: str) -> str:
        """The cell ``column`` of a node ('' when empty)."""
        return self._rows[self._kind[node_id]][node_id].get(column, "")

    def set(self, node_id: str, column: str, value: object, *, line: int | None = None, replace: bool = False) -> bool:
        """Fill one cell of a node; a different value already there is kept and the new one reported.

        With ``replace`` the new value overwrites silently: for callers that
        merge on purpose (the highest criticality of several rows).
        """
        text = "" if value is None else str(value).strip()
        if not text:
            return False
        row = self._rows[self._kind[node_id]][node_id]
        old = row.get(column, "")
        if old and old != text and not replace:
            self.problems.append(Problem(
                "conflicting-value", self.source, line, column, text,
                f'{row["name"]} ({node_id}) already has "{old}" as {column}'
                + (f" (line {self._line[node_id]})" if self._line[node_id] else "") + f'; "{text}" was not used.',
                "Check which is right and correct it in the converted inventory."))
            return False
        row[column] = text
        return True

    # --- links -----------------------------------------------------------------

    def link(self, source: str, target: str, relation: str | None = None, *, group: str | None = None,
             min_required: int | None = None, line: int | None = None) -> bool:
        """Record that ``source`` needs (or belongs to) ``target``; False when no relation fits the two kinds.

        ``relation`` defaults to the one implied by the two kinds. A link that
        fits an empty reference column of ``source`` is written there, other
        dependency types go to the dependencies table, and a second value for a
        column that only holds one (``parent_id``, ``organisation_id``) is reported.
        """
        v = vocabulary()
        sk, tk = self._kind[source], self._kind[target]
        rel = v.relation(relation) if relation else v.implied_relation(sk, tk)
        if rel is None or sk not in rel.domain or tk not in rel.range or source == target:
            return False
        key = (source, rel.id, target, group)  # the same link in another group (or required) is a meaning of its own
        if key in self._dep_seen:
            return True
        col = next((c for c in v.kind(sk).columns if c.relation == rel.id), None)
        if group is None and col is not None and col.cell_format == "id_list":  # a list: SYS-A | SYS-B
            current = [x.strip() for x in self.get(source, col.key).split("|") if x.strip()]
            if target not in current:
                self.set(source, col.key, " | ".join([*current, target]), line=line, replace=True)
            self._dep_seen.add(key)
            return True
        if group is None and col is not None:
            current = self.get(source, col.key)
            if current == target:
                return True
            if not current:
                self.set(source, col.key, target, line=line)
                self._dep_seen.add(key)
                return True
        if not rel.dependency_type:
            self.set(source, col.key, target, line=line)  # a second parent or organisation: reported
            return True
        implied = v.implied_relation(sk, tk)
        self._deps.append((line, {"from_id": source, "to_id": target,
                                  "type": "" if implied is not None and implied.id == rel.id else rel.id,
                                  "alternative_group": group or "",
                                  "min_required": str(min_required) if group and min_required else ""}))
        self._dep_seen.add(key)
        return True

    # --- output ----------------------------------------------------------------

    def tables(self) -> list[RawTable]:
        """The canonical tables (English headers; source line numbers where known)."""
        v = vocabulary()
        out: list[RawTable] = []
        for kind in v.file_kinds:
            rows = self._rows[kind.id]
            if not rows:
                continue
            used = {c for r in rows.values() for c in r}
            header = [c.key for c in kind.columns if c.key in used]
            header += [c for r in rows.values() for c in r if c not in header]
            header = list(dict.fromkeys(header))
            table = RawTable(f"{self.source} ({kind.files[0]})", kind.id, header)
            for i, (node_id, r) in enumerate(rows.items(), start=2):
                table.rows.append((self._line[node_id] or i, [r.get(h, "") for h in header]))
            out.append(table)
        if self._deps:
            header = [c.key for c in v.dependency_columns]
            table = RawTable(f"{self.source} ({v.dependency_files[0]})", DEPENDENCY, header)
            for i, (line, r) in enumerate(self._deps, start=2):
                table.rows.append((line or i, [r.get(h, "") for h in header]))
            out.append(table)
        return out

    def load(self) -> tuple[Inventory | None, list[Problem]]:
        """Validate the canonical tables; the importer's own problems come first."""
        return validate(self.tables(), self.problems)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={len(r)}" for k, r in self._rows.items() if r)
        return f"Draft({self.source!r}: {counts}, dependencies={len(self._deps)})"



@dataclass
class Conversion:
    """What an importer made of a file: canonical tables, the problems found, and how columns were read.

    ``mapping`` lists (source column, field) pairs for sources that have
    columns (flat application lists); it is empty for models.
    """

    source: str
    kind: str  # "flat", "archimate", "gemma" or "inventory"
    tables: list[RawTable]
    problems: list[Problem] = field(default_factory=list)
    mapping: list[tuple[str, str]] = field(default_factory=list)
    actors: list = field(default_factory=list)  # ArchiMate: each actor's role and why (archimate_roles.ActorRole)

    @classmethod
    def from_draft(cls, draft: Draft, kind: str, mapping: list[tuple[str, str]] | None = None) -> "Conversion":
        return cls(draft.source, kind, draft.tables(), list(draft.problems), list(mapping or []))

    def load(self) -> tuple[Inventory | None, list[Problem]]:
        """Validate the tables as any inventory is validated; the importer's problems come first."""
        return validate(self.tables, self.problems)
