"""Validate raw inventory tables into records, collecting every problem.

The load is all or nothing: :func:`load` returns an :class:`Inventory` only
when there are no errors; otherwise it returns None with the problems.

Examples
--------
>>> inv, problems = load_files([
...     ("suppliers.csv", b"id,name,country\\nS-1,Kynthos Cloud,US\\n"),
...     ("systems.csv", b"id,name,supplier_id\\nSYS-1,Mail,S-1\\n"),
... ])
>>> [(e.source, e.relation, e.target) for e in inv.edges]
[('SYS-1', 'provided_by', 'S-1'), ('S-1', 'registered_in', 'country:US')]
>>> inv, problems = load_files([("systems.csv", b"id,name,supplier_id\\nSYS-1,Mail,S-2\\n")])
>>> inv is None, str(problems[0])
(True, 'systems.csv line 2, column supplier_id: "S-2" is not a known id of a supplier.')
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz as rf_fuzz
from rapidfuzz import process as rf_process

from sovmap.ontology.countries import parse_country, suggest_country
from sovmap.ontology.vocab import DEPENDENCY, Column, Kind, normalise_token, vocabulary

from .contract_rules import check_contracts, contract_cell
from .ownership_rules import check_co_owners, check_parent_cycles, co_owner_cell
from .problems import Problem, has_errors, with_article
from .records import EdgeRecord, Inventory, NodeRecord
from .read import LazyRead, RawTable, gc_paused, path_files, read_files, read_path

__all__ = ["NodeRecord", "EdgeRecord", "Inventory", "validate", "load", "load_files", "RESERVED_COLUMNS",
           "reserved_column", "safe_column_name"]

#: Names an extra column may not have: sovmap keeps a node's kind and country, and internal values
#: (``__...``), under them in the graph and the stores.
RESERVED_COLUMNS = frozenset({"kind", "country", "code"})


def reserved_column(header: str) -> bool:
    """Whether an extra column's name is one sovmap uses internally.

    >>> reserved_column("Kind"), reserved_column("__registered_in"), reserved_column("Notes")
    (True, True, False)
    """
    return header.strip().startswith("__") or normalise_token(header) in RESERVED_COLUMNS


def safe_column_name(header: str) -> str:
    """An extra column's name that is not reserved: the name itself, or it renamed (for converters).

    >>> safe_column_name("kind"), safe_column_name("__x"), safe_column_name("Notes")
    ('kind (column)', 'x (column)', 'Notes')
    """
    if not reserved_column(header):
        return header
    return f"{header.strip().lstrip('_').strip() or 'column'} (column)"


def _hint_id(value: str, candidates: list[str]) -> str:
    """A "Did you mean" hint: the closest of ``candidates`` as difflib ranks them, or "" when none is close.

    rapidfuzz picks the few closest candidates of the whole list in compiled
    code (its ratio is never below difflib's, so nothing difflib would pick is
    left out in practice), and difflib ranks only those: 200 misspelt ids
    among 100,000 take a second, not two minutes.

    >>> _hint_id("SYS-MAIL", ["SYS-MAIL2", "SYS-WEB", "S-MAIL"])
    'Did you mean "SYS-MAIL2"?'
    >>> _hint_id("XYZ", ["SYS-MAIL"])
    ''
    """
    near = rf_process.extract(value, candidates, scorer=rf_fuzz.ratio, score_cutoff=60, limit=20)
    best = max(((difflib.SequenceMatcher(None, c, value).ratio(), c) for c, _, _ in near), default=None)
    return f'Did you mean "{best[1]}"?' if best and best[0] >= 0.6 else ""


def _map_header(table: RawTable, columns: tuple[Column, ...], problems: list[Problem],
                unnamed: dict[int, int] | None = None):
    """Column index → Column (or the extra header text); report missing/duplicate columns.

    A column without a header is reported when it holds a value. When the rows are read as they are
    checked (not a list), such columns go in ``unnamed`` (index → the problem's place) for :func:`_rows`.
    """
    by_alias = {a: c for c in columns for a in c.aliases}
    mapping: dict[int, Column | str] = {}
    seen: dict[str, int] = {}
    for i, raw in enumerate(table.header):
        token = normalise_token(raw)
        if not token:
            if not raw.strip() and unnamed is not None and not isinstance(table.rows, list):
                unnamed[i] = len(problems)
            elif raw.strip() or any(i < len(cells) and cells[i].strip() for _, cells in table.rows):
                problems.append(_unnamed(table.file, i, raw))
            continue
        col = by_alias.get(token)
        if col is None and table.kind != DEPENDENCY and reserved_column(raw):
            problems.append(Problem("reserved-name", table.file, 1, raw.strip(), raw.strip(),
                                    f'The column name "{raw.strip()}" is one sovmap uses internally.',
                                    f'Rename the column, e.g. to "{safe_column_name(raw)}".'))
            continue
        key = col.key if col else raw.strip()
        if key in seen:
            problems.append(Problem("duplicate-column", table.file, 1, raw.strip(), raw.strip(),
                                    f'The column "{raw.strip()}" appears twice in the header.',
                                    "Remove or rename one of them."))
            continue
        seen[key] = i
        mapping[i] = col if col else raw.strip()
    for c in columns:
        if c.required and c.key not in seen:
            problems.append(Problem("missing-column", table.file, 1, c.key, None,
                                    f'The required column "{c.key}" is missing.',
                                    f'Add a column named "{c.key}" (Dutch: "{c.header("nl")}").'))
    return mapping


def _unnamed(file: str, i: int, raw: str) -> Problem:
    return Problem("unnamed-column", file, 1, None, raw.strip(),
                   f'Column {i + 1} has no name{f" (its header is {raw.strip()!r})" if raw.strip() else ""}; '
                   "its values were not read.", "Give the column a name, or delete it.")


def _rows(t: RawTable, drain: bool, unnamed: dict[int, int], problems: list[Problem]) -> Iterator:
    """The rows of a table to check, once. Rows read as they are checked are looked at for values under the
    ``unnamed`` columns; once the last is read, those problems go in the places the header gave them.
    """
    if isinstance(t.rows, list):
        yield from (_drained(t.rows) if drain else t.rows)
        return
    if not unnamed:
        yield from t.rows
        return
    found: set[int] = set()
    for row in t.rows:
        if len(found) < len(unnamed):
            cells = row[1]
            found.update(i for i in unnamed if i < len(cells) and cells[i].strip())
        yield row
        del row
    for shift, i in enumerate(sorted(found)):
        problems.insert(unnamed[i] + shift, _unnamed(t.file, i, ""))


def _parse_enum(col: Column, value: str, file: str, line: int, problems: list[Problem]):
    enum = vocabulary().enum(col.enum)
    ev = enum.parse(value)
    if ev is None:
        choices = [a for v in enum.values for a in v.aliases]
        hint = _hint_id(normalise_token(value), choices)
        accepted = " | ".join(f"{v.id} ({v.label('nl')})" for v in enum.values)
        problems.append(Problem("unknown-value", file, line, col.key, value,
                                f'"{value}" is not an accepted value.',
                                (hint + " " if hint else "") + f"Accepted: {accepted}."))
        return None
    return ev.id


@gc_paused(long_lived=True)
def validate(tables: list[RawTable], read_problems: list[Problem] | None = None) -> tuple[Inventory | None, list[Problem]]:
    """Check raw tables; return the inventory, or None when any error was found."""
    kind_order = {k.id: k.order for k in vocabulary().kinds}
    node_tables = sorted((t for t in tables if t.kind != DEPENDENCY), key=lambda t: kind_order[t.kind])
    dep_tables = [t for t in tables if t.kind == DEPENDENCY]
    return _validate(node_tables, dep_tables, lambda: (tables, list(read_problems or [])))


def _validate(node_tables: Iterable[RawTable], dep_tables: Iterable[RawTable],
              finish: Callable[[], tuple[list[RawTable], list[Problem]]], *,
              drain: bool = False) -> tuple[Inventory | None, list[Problem]]:
    """Check the node tables (in kind order), then the dependency tables, each taken once and let go.

    ``finish`` is called once both are used up; it gives every table (their headers are enough) in the
    order they were read, and the problems of reading them, which come first in the result. With
    ``drain`` each row is let go once checked (the tables must be the caller's own, read for this check).
    """
    v = vocabulary()
    parsed: dict[str, dict[str, str]] = defaultdict(dict)  # enum id or "country" → cell → accepted value: parsed once
    problems: list[Problem] = []
    nodes: dict[str, NodeRecord] = {}
    pending_refs: list[tuple[NodeRecord, Column, str]] = []  # (node, column, target id)
    for t in node_tables:
        _node_table(t, nodes, pending_refs, problems, parsed, drain)
        del t  # a lazily read table's rows go before the next one is read

    # References from node columns.
    edges: list[EdgeRecord] = []
    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for n in nodes.values():
        ids_by_kind[n.kind].append(n.id)
    relations = {r.id: r for r in v.relations}
    candidates_by_range: dict[tuple[str, ...], list[str]] = {}
    for node, col, target in pending_refs:
        rel = relations[col.relation]
        tnode = nodes.get(target)
        if tnode is not None and tnode is not node and tnode.kind in rel.range:  # the common case
            edges.append(EdgeRecord(node.id, rel.id, target, None, None, node.file, node.line,
                                    node.attrs.get("__co_shares", {}).get(target) if rel.id == "co_owned_by" else None))
        elif target == node.id:
            problems.append(Problem("self-reference", node.file, node.line, col.key, target,
                                    f'"{target}" refers to itself.', "Leave the cell empty or name another id."))
        else:  # not known, or not of a kind the relation reaches
            want = " or ".join(v.kind(k).label() for k in rel.range)
            candidates = candidates_by_range.get(rel.range)
            if candidates is None:  # built once per range of kinds, not once per unknown id
                candidates = candidates_by_range[rel.range] = [i for k in rel.range for i in ids_by_kind[k]]
            extra = f" ({target} is {with_article(tnode.kind)})" if tnode else ""
            problems.append(Problem("unknown-reference", node.file, node.line, col.key, target,
                                    f'"{target}" is not a known id of {with_article(want)}{extra}.',
                                    _hint_id(target, candidates)))
    # Country edges.
    country_relations = [(r.id, f"__{r.id}") for r in v.country_relations()]
    hidden = {k.id for k in v.kinds if any(c.country or c.relation == "co_owned_by" for c in k.columns)}
    for n in nodes.values():
        if n.kind not in hidden:  # no country or co-owner column: nothing kept under "__..."
            continue
        n.attrs.pop("__co_shares", None)
        for rel_id, key in country_relations:
            code = n.attrs.pop(key, None)
            if code:
                edges.append(EdgeRecord(n.id, rel_id, f"country:{code}", None, None, n.file, n.line))
    edges = check_co_owners(nodes, edges, problems)
    check_contracts(nodes, problems)

    for t in dep_tables:
        edges.extend(_dependency_rows(t, nodes, ids_by_kind, problems, drain=drain))
        del t

    check_parent_cycles(nodes, edges, problems)
    _check_warnings(nodes, edges, problems)

    tables, head = finish()
    if not tables and not has_errors(head):
        expected = ", ".join(k.files[0] + ".csv" for k in v.file_kinds) + ", " + v.dependency_files[0] + ".csv"
        head.append(Problem("no-inventory", "(upload)", None, None, None,
                            "No inventory file was found.", f"Expected files such as {expected}."))
    kinds_seen: dict[str, str] = {}
    for t in tables:
        if t.kind in kinds_seen:
            head.append(Problem("duplicate-file", t.file, None, None, None,
                                f"This file holds the same part of the inventory as {kinds_seen[t.kind]}.",
                                "Merge the two files or remove one."))
        kinds_seen.setdefault(t.kind, t.file)
    problems = _as_written(tables, head + problems)

    if has_errors(problems):
        return None, problems
    files = [t.file for t in tables]
    return Inventory(nodes=nodes, edges=edges, files=files), problems


def _drained(rows: list) -> Iterator:
    """The rows one by one, each taken out of the list as it is given (its cells go once used).

    >>> rows = [(2, ["a"]), (3, ["b"])]
    >>> [line for line, _ in _drained(rows)], rows
    ([2, 3], [None, None])
    """
    for i in range(len(rows)):
        row, rows[i] = rows[i], None
        yield row


def _node_table(t: RawTable, nodes, pending_refs, problems: list[Problem], parsed, drain: bool = False) -> None:
    """The records of one node table."""
    kind = vocabulary().kind(t.kind)
    unnamed: dict[int, int] = {}
    mapping = _map_header(t, kind.columns, problems, unnamed)
    if not t.rows and t.header:
        problems.append(Problem("empty-file", t.file, None, None, None, "The file has a header but no rows."))
    rows = _rows(t, drain, unnamed, problems)
    if any(c.required and c.key not in [m.key for m in mapping.values() if isinstance(m, Column)] for c in kind.columns):
        for _ in rows:  # read to the end all the same: reading it may find problems
            pass
        return
    _node_rows(kind, t, rows, mapping, nodes, pending_refs, problems, parsed)


def _as_written(tables: list[RawTable], problems: list[Problem]) -> list[Problem]:
    """Name each problem's column as the user's file writes it (e.g. "leverancier" rather than "supplier_id")."""
    v = vocabulary()
    written: dict[tuple[str, str], str] = {}
    for t in tables:
        columns = v.dependency_columns if t.kind == DEPENDENCY else v.kind(t.kind).columns
        by_alias = {a: c.key for c in columns for a in c.aliases}
        for raw in t.header:
            key = by_alias.get(normalise_token(raw))
            if key and raw.strip() != key:
                written.setdefault((t.file, key), raw.strip())
    if not written:
        return problems
    return [replace(p, column=written.get((p.file, p.column), p.column)) for p in problems]


# What a node table's column is read as (see :func:`_column_plan`).
_TEXT, _REF, _ENUM, _EXTRA, _COUNTRY, _CO_OWNER, _CELL = range(7)


def _extra_cells(file: str, line: int, cells: list[str], width: int) -> Problem:
    """The problem of a row with more (non-empty) values than its header has columns."""
    return Problem("extra-cells", file, line, None, cells[width].strip(),
                   f"The row has {len(cells)} values but the header has {width} columns.",
                   "Check for a delimiter (; or ,) inside a value that is not quoted.")


def _column_plan(mapping: dict[int, Column | str]) -> list[tuple[int, Column | str, str, int]]:
    """(index, column, attribute key, how it is read) of every column but id and name, in header order."""
    plan = []
    for i, col in mapping.items():
        if isinstance(col, str):
            plan.append((i, col, col, _EXTRA))
        elif col.key in ("id", "name"):
            continue
        elif col.enum:
            plan.append((i, col, col.key, _ENUM))
        elif col.country:
            plan.append((i, col, col.key, _COUNTRY))
        elif col.relation == "co_owned_by":
            plan.append((i, col, col.key, _CO_OWNER))
        elif col.cell_format:
            plan.append((i, col, col.key, _CELL))
        elif col.relation:
            plan.append((i, col, col.key, _REF))
        else:
            plan.append((i, col, col.key, _TEXT))
    return plan


def _node_rows(kind: Kind, t: RawTable, rows: Iterable, mapping, nodes, pending_refs, problems,
               parsed: dict[str, dict[str, str]]) -> None:
    """The records of a node table's rows. Each column's way of being read is decided once per table
    (:func:`_column_plan`); a row's cells are taken by index."""
    cols = {c.key: c for c in kind.columns}
    id_col, name_col = cols["id"], cols["name"]
    id_i = next((i for i, c in mapping.items() if c is id_col), None)
    name_i = next((i for i, c in mapping.items() if c is name_col), None)
    named_by_id = not name_col.required
    plan = [(i, col, key, how, parsed[col.enum if how == _ENUM else "country"] if how in (_ENUM, _COUNTRY) else None)
            for i, col, key, how in _column_plan(mapping)]
    width, file, kind_id = len(t.header), t.file, kind.id
    for line, cells in rows:
        n = len(cells)
        if n > width and any(c.strip() for c in cells[width:]):
            problems.append(_extra_cells(file, line, cells, width))
            continue
        node_id = cells[id_i].strip() if id_i is not None and id_i < n else ""
        name = cells[name_i].strip() if name_i is not None and name_i < n else ""
        if not name and node_id and named_by_id:
            name = node_id  # a kind whose name is optional (contracts) is named by its id
        if not (node_id and name):
            for col, value in ((id_col, node_id), (name_col, name)):
                if not value:
                    problems.append(Problem("missing-value", file, line, col.key, "",
                                            f"The {col.key} is empty.", f"Every row needs a {col.key}."))
            continue
        if node_id.lower().startswith("country:"):
            problems.append(Problem("reserved-id", file, line, "id", node_id,
                                    f'The id "{node_id}" has the form sovmap gives countries (country:XX).',
                                    f'Give it another id, e.g. "{node_id.split(":", 1)[1] or "X"}-{kind_id[:3].upper()}".'))
            continue
        if node_id in nodes:
            other = nodes[node_id]
            problems.append(Problem("duplicate-id", file, line, "id", node_id,
                                    f'The id "{node_id}" is already used in {other.file} line {other.line}.',
                                    "Ids must be unique across all files: give one of them another id."))
            continue
        attrs: dict[str, object] = {}
        node = NodeRecord(node_id, kind_id, name, attrs, file, line)
        for i, col, key, how, seen in plan:
            if i >= n:
                continue
            value = cells[i].strip()
            if not value:
                continue
            if how == _TEXT:
                attrs[key] = value
            elif how == _REF:
                pending_refs.append((node, col, value))
            elif how == _ENUM:
                known = seen.get(value)
                if known is None:
                    known = _parse_enum(col, value, file, line, problems)
                    if known:
                        seen[value] = known
                if known:
                    attrs[key] = known
            elif how == _EXTRA:
                attrs[key] = value
            elif how == _COUNTRY:
                code = seen.get(value)
                if code is None:
                    code = parse_country(value)
                    if code is not None:
                        seen[value] = code
                if code is None:
                    sug = suggest_country(value)
                    problems.append(Problem("unknown-country", file, line, key, value,
                                            f'"{value}" is not a known country.',
                                            (f'Did you mean "{sug}"? ' if sug else "")
                                            + "Use the two-letter ISO code, e.g. NL, DE, US, IE."))
                else:
                    attrs[key] = code
                    attrs[f"__{col.country_relation}"] = code
            elif how == _CO_OWNER:
                co_owner_cell(node, col, value, pending_refs, problems)
            else:
                contract_cell(node, col, value, pending_refs, problems)
        nodes[node_id] = node


def v_rel_for_country(kind: Kind) -> str:
    """The relation a kind's country column stands for (registered_in or located_in)."""
    for r in vocabulary().relations:
        if r.range == ("country",) and kind.id in r.domain:
            return r.id
    raise KeyError(kind.id)


def _dependency_rows(t: RawTable, nodes, ids_by_kind, problems: list[Problem], *,
                     drain: bool = False) -> list[EdgeRecord]:
    v = vocabulary()
    unnamed: dict[int, int] = {}
    mapping = _map_header(t, v.dependency_columns, problems, unnamed)
    present = {m.key for m in mapping.values() if isinstance(m, Column)}
    rows = _rows(t, drain, unnamed, problems)
    if not {"from_id", "to_id"} <= present:
        for _ in rows:  # read to the end all the same: reading it may find problems
            pass
        return []
    all_ids = list(nodes)
    parse_relation = cache(v.parse_relation)  # the same few texts and kind pairs on every row
    implied_relation = cache(v.implied_relation)
    at = {col.key: i for i, col in mapping.items() if isinstance(col, Column)}  # a row's cells are taken by index
    from_i, to_i = at["from_id"], at["to_id"]
    type_i, group_i, min_i = at.get("type"), at.get("alternative_group"), at.get("min_required")
    width, file = len(t.header), t.file
    out: list[EdgeRecord] = []
    seen: dict[tuple[str, str, str, str | None], int] = {}
    groups: dict[tuple[str, str], list[EdgeRecord]] = defaultdict(list)
    repeats: dict[tuple[str, str], list[EdgeRecord]] = defaultdict(list)
    for line, cells in rows:
        n = len(cells)
        if n > width and any(c.strip() for c in cells[width:]):
            problems.append(_extra_cells(file, line, cells, width))
            continue
        src = cells[from_i].strip() if from_i < n else ""
        dst = cells[to_i].strip() if to_i < n else ""
        if not (src in nodes and dst in nodes):
            for key, value in (("from_id", src), ("to_id", dst)):
                if not value:
                    problems.append(Problem("missing-value", file, line, key, "", f"The {key} is empty.",
                                            "Every dependency needs from_id and to_id."))
                elif value not in nodes:
                    problems.append(Problem("unknown-reference", file, line, key, value,
                                            f'"{value}" is not a known id.', _hint_id(value, all_ids)))
            continue
        fk, tk = nodes[src].kind, nodes[dst].kind
        type_text = cells[type_i].strip() if type_i is not None and type_i < n else ""
        if type_text:
            rel = parse_relation(type_text)
            if rel is None:
                accepted = " | ".join(f"{r.id} ({r.label('nl')})" for r in v.relations if r.dependency_type)
                problems.append(Problem("unknown-type", t.file, line, "type", type_text,
                                        f'"{type_text}" is not a dependency type.', f"Accepted: {accepted}."))
                continue
            if fk not in rel.domain or tk not in rel.range:
                problems.append(Problem("type-mismatch", t.file, line, "type", type_text,
                                        f'{with_article(v.kind(fk).label())[0].upper()}{with_article(v.kind(fk).label())[1:]} cannot be "{rel.id}" {with_article(v.kind(tk).label())}.',
                                        f'"{rel.id}" goes from {" or ".join(rel.domain)} to {" or ".join(rel.range)}.'))
                continue
        else:
            rel = implied_relation(fk, tk)
            if rel is None:
                problems.append(Problem("type-not-implied", t.file, line, "type", "",
                                        f"No dependency type is given, and none follows from {with_article(v.kind(fk).label())} to {with_article(v.kind(tk).label())}.",
                                        "Fill in the type, or check that from_id and to_id are the right way round."))
                continue
        group = (cells[group_i].strip() if group_i is not None and group_i < n else "") or None
        min_text = cells[min_i].strip() if min_i is not None and min_i < n else ""
        min_required = None
        if min_text:
            try:
                min_required = int(float(min_text)) if float(min_text).is_integer() else -1
            except ValueError:
                min_required = -1
            if min_required < 1:
                problems.append(Problem("bad-min-required", t.file, line, "min_required", min_text,
                                        f'"{min_text}" is not a whole number of at least 1.', "Use 1, 2, 3, ..."))
                continue
            if group is None and min_required > 1:
                problems.append(Problem("min-required-without-group", t.file, line, "min_required", min_text,
                                        "min_required is given but the dependency is in no group of alternatives.",
                                        "Fill in alternative_group for all alternatives, or leave min_required empty."))
                continue
        # A row keeps its meaning when the same dependency is also required or in another group;
        # only a row that repeats another one exactly (same group too) adds nothing.
        key = (src, rel.id, dst, group)
        edge = EdgeRecord(src, rel.id, dst, group, min_required if group else None, file, line)
        if key in seen:
            problems.append(Problem("duplicate-dependency", t.file, line, "to_id", dst,
                                    f"This dependency is already listed on line {seen[key]}"
                                    + (f' (group "{group}")' if group else "") + ".", "Remove one of the rows."))
            if group:
                repeats[(src, group)].append(edge)  # its min_required must still agree with the group's
            continue
        seen[key] = line
        out.append(edge)
        if group:
            groups[(src, group)].append(edge)
    for (src, group), members in groups.items():
        given = {e.min_required for e in members + repeats.get((src, group), []) if e.min_required is not None}
        if len(given) > 1:
            e = max(members + repeats.get((src, group), []), key=lambda e: (e.min_required is not None, e.line))
            problems.append(Problem("min-required-disagrees", t.file, e.line, "min_required", str(e.min_required),
                                    f'The group "{group}" of {src} has different min_required values: {sorted(given)}.',
                                    "Give the same min_required on every row of the group."))
            continue
        k = given.pop() if given else 1
        alternatives = len({e.target for e in members})  # one node through two relations is one alternative
        if k > alternatives:
            e = next(e for e in members if e.min_required is not None)
            problems.append(Problem("min-required-too-large", t.file, e.line, "min_required", str(k),
                                    f'The group "{group}" of {src} needs {k} but has only {alternatives} alternatives.',
                                    f"Lower min_required to at most {alternatives} or add alternatives."))
            continue
        for e in members:
            e.min_required = k
    return out


def _check_warnings(nodes: dict[str, NodeRecord], edges: list[EdgeRecord], problems: list[Problem]) -> None:
    assessable = {"provided_by", "hosted_at", "operated_by"}
    covered = {e.source for e in edges if e.relation in assessable}
    # a row whose reference failed to resolve already has an error; "has no supplier" would be untrue there
    unresolved = {(p.file, p.line) for p in problems if p.rule == "unknown-reference"}
    for n in nodes.values():
        if n.kind == "system" and n.id not in covered and (n.file, n.line) not in unresolved:
            problems.append(Problem("no-supplier-or-location", n.file, n.line, "supplier_id", "",
                                    f'The system "{n.id}" has no supplier, operator and no location.',
                                    "Fill in supplier_id or location_id so its sovereignty can be assessed."))


@gc_paused(long_lived=True)  # one pause for reading and checking: the raw tables are gone before the collector runs
def load(path: str | Path) -> tuple[Inventory | None, list[Problem]]:
    """Read and validate an inventory folder, .zip or .xlsx from disk.

    A folder of CSV files is read one file at a time, as :func:`load_files` reads an upload.
    """
    files, problems = path_files(path)
    if not problems:
        result = _load_lazily([(x.name, x.read_bytes) for x in files])
        if result is not None:
            return result
    tables, problems = read_path(path)
    return validate(tables, problems)


@gc_paused(long_lived=True)
def load_files(files: list[tuple[str, bytes]]) -> tuple[Inventory | None, list[Problem]]:
    """Read and validate uploaded files given as (name, bytes).

    CSV files are read one at a time, node files in kind order and the dependency files last, and each
    file's rows are read as they are checked: the upload, or one file of it, is never held as text cells whole.
    Workbooks and archives, and an upload over a limit, are read whole first; the result is the same.
    """
    files = list(files)
    result = _load_lazily(files)
    if result is not None:
        return result
    tables, problems = read_files(files)
    return validate(tables, problems)


def _load_lazily(files) -> tuple[Inventory | None, list[Problem]] | None:
    """Text files read and checked one at a time; None for a workbook or archive, or at a limit (then the
    caller reads everything at once, so that the problem names the file that crossed it in upload order)."""
    reading = LazyRead(files)
    if not reading.possible() or reading.over_limit:
        return None
    kind_order = {k.id: k.order for k in vocabulary().kinds}
    kinds = reading.kinds
    node_files = sorted((i for i, k in enumerate(kinds) if k is not None and k != DEPENDENCY),
                        key=lambda i: kind_order[kinds[i]])
    dep_files = [i for i, k in enumerate(kinds) if k == DEPENDENCY]
    inv, problems = _validate(reading.tables(node_files), reading.tables(dep_files), reading.finish, drain=True)
    return None if reading.over_limit else (inv, problems)
