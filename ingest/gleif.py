"""GLEIF golden-copy files as a source of LEIs, countries and owners for an inventory's suppliers.

GLEIF publishes, three times a day, the *golden copy* of the LEI data as CSV
files (https://www.gleif.org/en/lei-data/gleif-golden-copy), which a user
downloads (they are gigabytes; nothing here touches the network):

- LEI-CDF 3.1, level 1 ("who is who", ``…-gleif-goldencopy-lei2-golden-copy.csv``):
  per LEI the legal name, legal address and headquarters address (``Entity.LegalAddress.Country``,
  ``Entity.HeadquartersAddress.Country``), entity status and ``Registration.LastUpdateDate``.
- RR-CDF 2.1, level 2 relationship records ("who owns whom", ``…-rr-golden-copy.csv``):
  ``Relationship.StartNode.NodeID`` (the child) ``IS_DIRECTLY_CONSOLIDATED_BY`` or
  ``IS_ULTIMATELY_CONSOLIDATED_BY`` ``Relationship.EndNode.NodeID`` (the parent), with
  ``Relationship.RelationshipStatus`` and ``Registration.RegistrationStatus``.
- Optionally the level-2 reporting exceptions (``…-repex-golden-copy.csv``): why an entity
  reports no parent (``Exception.Category``, ``Exception.Reason.1``: NATURAL_PERSONS,
  NO_KNOWN_PERSON, NON_CONSOLIDATING, NON_PUBLIC, …).

:func:`read_gleif` streams the files row by row with the csv module and keeps
only the rows for the LEIs and names it is asked about (plus their parents,
found in further passes); a malformed row becomes a :class:`Problem` naming
file and line. :func:`apply_gleif` matches the inventory's suppliers by their
``lei`` column, else by exact folded legal name (:func:`~sovmap.ingest.names.fold_name`),
and returns a new graph with LEIs, countries (legal address), headquarters
countries (where different), direct and ultimate parents (added as suppliers
where missing) and ``ownership`` = ``verified`` with source and date, plus the
list of :class:`Change` made and the problems found.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("S-1", kind="supplier", name="Voorbeeld Software B.V.")
>>> lei = ("LEI,Entity.LegalName,Entity.LegalAddress.Country,Entity.HeadquartersAddress.Country,"
...        "Entity.EntityStatus,Registration.LastUpdateDate,Registration.RegistrationStatus\\n"
...        "724500AAAAAAAAAAAA11,VOORBEELD SOFTWARE B.V.,NL,NL,ACTIVE,2026-10-01T08:00:00Z,ISSUED\\n")
>>> rr = ("Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType,"
...       "Relationship.RelationshipStatus,Registration.RegistrationStatus\\n")
>>> data = read_gleif(g, ("lei.csv", lei), ("rr.csv", rr))
>>> g2, changes, problems = apply_gleif(g, data)
>>> [(c.column, c.new) for c in changes]
[('lei', '724500AAAAAAAAAAAA11'), ('country', 'NL')]
>>> print(problems[0])
rr.csv, column lei: Voorbeeld Software B.V. (S-1): no parent recorded by GLEIF for LEI 724500AAAAAAAAAAAA11. Its owner stays as it was and its ownership is not marked verified; give --gleif-repex to see GLEIF's reason, or check the company register.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from sovmap.graph.ownership import ownership_chain, parent_of
from sovmap.ontology.countries import country, parse_country

from .names import fold_name
from .problems import Problem

__all__ = ["LEVEL1", "RR", "REPEX", "Record", "Relationship", "ReportingException", "GleifData", "Change",
           "publish_date", "read_gleif", "apply_gleif", "apply_gleif_to_catalogue", "GOLDEN_COPY_URL"]

#: LEI-CDF 3.1 level-1 columns read (published names).
LEVEL1 = {"lei": "LEI", "name": "Entity.LegalName", "country": "Entity.LegalAddress.Country",
          "hq_country": "Entity.HeadquartersAddress.Country", "status": "Entity.EntityStatus",
          "updated": "Registration.LastUpdateDate", "registration": "Registration.RegistrationStatus"}
#: RR-CDF 2.1 level-2 columns read (published names).
RR = {"child": "Relationship.StartNode.NodeID", "parent": "Relationship.EndNode.NodeID",
      "type": "Relationship.RelationshipType", "status": "Relationship.RelationshipStatus",
      "registration": "Registration.RegistrationStatus"}
#: Level-2 reporting-exception columns read (published names).
REPEX = {"lei": "LEI", "category": "Exception.Category", "reason": "Exception.Reason.1"}

DIRECT, ULTIMATE = "IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY"
#: Exception reasons that say there is no legal-entity parent above the entity: it is the top of its chain.
TOP_OF_CHAIN = frozenset({"NATURAL_PERSONS", "NO_KNOWN_PERSON"})
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_PUBLISHED = re.compile(r"^(\d{4})(\d{2})(\d{2})-\d{4}-gleif-goldencopy-")
_MAX_PASSES = 12  # ownership chains in GLEIF are a handful of levels; more is a reporting cycle


@dataclass(frozen=True)
class Record:
    """One level-1 LEI record: where in which file, and the facts sovmap uses."""

    lei: str
    name: str
    country: str | None
    hq_country: str | None
    status: str
    updated: str
    file: str
    line: int


@dataclass(frozen=True)
class Relationship:
    """One active, published consolidation relationship: ``child`` is consolidated by ``parent``."""

    child: str
    parent: str
    type: str
    file: str
    line: int


@dataclass(frozen=True)
class ReportingException:
    """Why an entity reports no direct or ultimate parent."""

    lei: str
    category: str
    reason: str
    file: str
    line: int


@dataclass
class GleifData:
    """The rows kept from the golden-copy files, with the files' names and publication dates."""

    records: dict[str, Record] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=dict)  # folded legal name → LEIs
    direct: dict[str, Relationship] = field(default_factory=dict)
    ultimate: dict[str, Relationship] = field(default_factory=dict)
    exceptions: dict[tuple[str, str], ReportingException] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    lei_file: str = ""
    rr_file: str = ""
    repex_file: str | None = None
    published: str | None = None  # YYYY-MM-DD from the file names, when they carry it


@dataclass(frozen=True)
class Change:
    """One value :func:`apply_gleif` changed: supplier, column, old → new, and the GLEIF row it comes from."""

    supplier_id: str
    name: str
    column: str
    old: str
    new: str
    file: str
    line: int | None

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.line else self.file
        return f'{self.name} ({self.supplier_id}), {self.column}: "{self.old}" → "{self.new}" ({where})'

    def as_dict(self) -> dict:
        return {"supplier_id": self.supplier_id, "name": self.name, "column": self.column, "old": self.old,
                "new": self.new, "file": self.file, "line": self.line}


Source = tuple[str, str] | str | Path  # a path, or (file name, text) for tests


def publish_date(name: str) -> str | None:
    """The publication date a golden-copy file name starts with, as YYYY-MM-DD.

    >>> publish_date("20261004-1600-gleif-goldencopy-rr-golden-copy.csv.zip"), publish_date("rr.csv")
    ('2026-10-04', None)
    """
    m = _PUBLISHED.match(Path(name).name)
    return f"{m[1]}-{m[2]}-{m[3]}" if m else None


def _name(src: Source) -> str:
    return src[0] if isinstance(src, tuple) else Path(src).name


def _open(src: Source) -> Iterator[io.TextIOBase]:
    """The text of a file (a .zip holding one CSV file is read from inside), opened for streaming."""
    if isinstance(src, tuple):
        yield io.StringIO(src[1], newline="")
        return
    path = Path(src)
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            member = next((n for n in zf.namelist() if n.lower().endswith(".csv")), None)
            if member is None:
                raise OSError("the .zip holds no .csv file")
            with zf.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield fh


def _problem(file: str, line: int | None, column: str | None, value: str | None, message: str, hint: str,
             rule: str = "gleif-malformed-row") -> Problem:
    return Problem(rule, file, line, column, value, message, hint)


def _rows(src: Source, columns: dict[str, str], problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {key: cell}) for every well-formed row; a malformed row is a problem and skipped."""
    file = _name(src)
    try:
        for fh in _open(src):
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                problems.append(_problem(file, 1, None, None, "the file is empty.", "Give the golden-copy CSV file as downloaded."))
                return
            index = {h.strip(): i for i, h in enumerate(header)}
            missing = [c for c in columns.values() if c not in index]
            if missing:
                problems.append(_problem(file, 1, missing[0], None,
                                         f"the header lacks the column{'s' if len(missing) > 1 else ''} "
                                         f"{', '.join(missing)}, so this is not the expected golden-copy file.",
                                         "Give the CSV golden copy of the right kind (LEI-CDF level 1 for --gleif-lei, "
                                         "RR-CDF level 2 for --gleif-rr, reporting exceptions for --gleif-repex).",
                                         rule="gleif-wrong-file"))
                return
            pick = {k: index[c] for k, c in columns.items()}
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    problems.append(_problem(file, reader.line_num, None, None, f"the row cannot be read as CSV ({exc}).",
                                             "The file may be cut off or damaged; download it again."))
                    continue
                if not cells:
                    continue
                if len(cells) != len(header):
                    problems.append(_problem(file, reader.line_num, None, None,
                                             f"the row has {len(cells)} values where the header has {len(header)} columns; "
                                             "it was skipped.", "The file may be cut off or damaged; download it again."))
                    continue
                yield reader.line_num, {k: cells[i].strip() for k, i in pick.items()}
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        problems.append(_problem(file, None, None, None, f"the file cannot be read ({exc.__class__.__name__}: {exc}).",
                                 "Give the golden-copy CSV file (or the .csv.zip) as downloaded from GLEIF.",
                                 rule="gleif-wrong-file"))


def _country(value: str, file: str, line: int, column: str, problems: list[Problem]) -> str | None:
    if not value:
        return None
    code = parse_country(value)
    if code is None:
        problems.append(_problem(file, line, column, value, f'"{value}" is not an ISO 3166 country code; it was not used.',
                                 "GLEIF files carry ISO alpha-2 codes; the file may be damaged."))
    return code


def _read_level1(src: Source, data: GleifData, leis: set[str], names: set[str]) -> set[str]:
    """Keep the level-1 records whose LEI is in ``leis`` or whose folded legal name is in ``names``; return the LEIs kept."""
    file, kept = _name(src), set()
    for line, r in _rows(src, LEVEL1, data.problems):
        lei = r["lei"].upper()
        folded = fold_name(r["name"]) if names else ""
        if lei not in leis and folded not in names:
            continue
        if not _LEI.match(lei):
            data.problems.append(_problem(file, line, LEVEL1["lei"], r["lei"], f'"{r["lei"]}" is not a 20-character LEI; '
                                          "the row was skipped.", "The file may be damaged; download it again."))
            continue
        if lei in data.records:
            continue
        rec = Record(lei, r["name"], _country(r["country"], file, line, LEVEL1["country"], data.problems),
                     _country(r["hq_country"], file, line, LEVEL1["hq_country"], data.problems),
                     r["status"], r["updated"][:10], file, line)
        data.records[lei] = rec
        if folded in names:
            data.by_name.setdefault(folded, []).append(lei)
        kept.add(lei)
    return kept


def _read_relationships(src: Source, data: GleifData, children: set[str]) -> set[str]:
    """Keep active, published consolidation relationships of ``children``; return the parent LEIs found."""
    file, parents = _name(src), set()
    for line, r in _rows(src, RR, data.problems):
        child = r["child"].upper()
        if child not in children or r["type"] not in (DIRECT, ULTIMATE):
            continue
        if r["status"] != "ACTIVE" or r["registration"] not in ("PUBLISHED", "LAPSED"):
            continue  # an ended relationship, or a record GLEIF does not publish as valid
        parent = r["parent"].upper()
        if not _LEI.match(parent):
            data.problems.append(_problem(file, line, RR["parent"], r["parent"], f'"{r["parent"]}" is not a 20-character '
                                          "LEI; the relationship was skipped.", "The file may be damaged; download it again."))
            continue
        rel = Relationship(child, parent, r["type"], file, line)
        (data.direct if r["type"] == DIRECT else data.ultimate).setdefault(child, rel)
        parents.add(parent)
    return parents


def read_gleif(g: nx.MultiDiGraph, lei_file: Source, rr_file: Source, repex_file: Source | None = None,
               *, extra_leis: Iterable[str] = ()) -> GleifData:
    """Stream the golden-copy files and keep what the inventory's suppliers need.

    Parameters
    ----------
    g
        The inventory graph; its suppliers' ``lei`` values and (for suppliers
        without one) folded names say which rows to keep.
    lei_file, rr_file, repex_file
        Paths of the level-1, relationship and (optional) reporting-exception
        files (CSV, or a .zip holding the CSV), or ``(name, text)`` pairs.
    extra_leis
        Further LEIs to keep (for instance those of catalogue entries).

    Returns
    -------
    GleifData
        The rows kept; malformed rows are in ``problems`` (file and line).
    """
    data = GleifData(lei_file=_name(lei_file), rr_file=_name(rr_file), repex_file=_name(repex_file) if repex_file else None)
    data.published = publish_date(data.rr_file) or publish_date(data.lei_file)
    leis = {str(x).strip().upper() for x in extra_leis if x}
    names = set()
    for _, d in g.nodes(data=True):
        if d.get("kind") != "supplier":
            continue
        if d.get("lei"):
            leis.add(str(d["lei"]).strip().upper())
        elif d.get("name"):
            names.add(fold_name(d["name"]))
    names.discard("")
    frontier = _read_level1(lei_file, data, leis, names)
    wanted, parents = set(frontier), set()
    for _ in range(_MAX_PASSES):  # each pass climbs one level of the chains
        if not frontier:
            break
        found = _read_relationships(rr_file, data, frontier)
        parents |= found
        frontier = found - wanted
        wanted |= frontier
    missing = parents - set(data.records)
    if missing:
        _read_level1(lei_file, data, missing, set())
    if repex_file is not None:
        for line, r in _rows(repex_file, REPEX, data.problems):
            lei = r["lei"].upper()
            if lei in wanted:
                data.exceptions.setdefault((lei, r["category"]), ReportingException(lei, r["category"], r["reason"],
                                                                                    _name(repex_file), line))
    data.problems = list(dict.fromkeys(data.problems))  # a row read in several passes is reported once
    return data


def _set_country(g: nx.MultiDiGraph, n: str, code: str) -> None:
    for _, t, k in list(g.out_edges(n, keys=True)):
        if k == "registered_in":
            g.remove_edge(n, t, key=k)
    g.nodes[n]["country"] = code
    node = f"country:{code}"
    if node not in g:
        g.add_node(node, kind="country", name=country(code).name, code=code)
    g.add_edge(n, node, key="registered_in")


def apply_gleif(g: nx.MultiDiGraph, data: GleifData) -> tuple[nx.MultiDiGraph, list[Change], list[Problem]]:
    """A copy of ``g`` with the GLEIF facts applied to the suppliers it matches, what changed, and what to check.

    A supplier matches the record of its ``lei``, or, without one, the one
    active record whose legal name folds to the same name (several: reported,
    not applied). Per matched supplier: ``lei``; ``country`` (legal address);
    ``hq_country`` (headquarters, only where it differs); ``parent_id`` (the
    direct accounting-consolidation parent, else the ultimate one), climbing
    the chain: parents the inventory lacks are added as suppliers ``LEI-…``.
    GLEIF's values replace the inventory's, and every replacement is a
    :class:`Change`. ``ownership`` becomes ``verified`` (``ownership_source``
    names the files, ``ownership_checked`` is their publication date, else the
    record's last update) where GLEIF records a parent, or a reporting
    exception saying there is none (NATURAL_PERSONS, NO_KNOWN_PERSON). A
    supplier without either keeps its owner and its ownership status, and is
    reported ("no parent recorded by GLEIF").
    """
    g = g.copy()
    changes: list[Change] = []
    problems: list[Problem] = list(data.problems)
    node_of: dict[str, str] = {}  # LEI → supplier node
    unnamed: dict[str, list[str]] = {}  # folded name → suppliers without an LEI
    for n, d in g.nodes(data=True):
        if d.get("kind") == "supplier" and d.get("lei"):
            node_of.setdefault(str(d["lei"]).strip().upper(), n)
        elif d.get("kind") == "supplier":
            unnamed.setdefault(fold_name(d.get("name", "")), []).append(n)

    def change(n: str, column: str, old, new, file: str, line: int | None) -> None:
        changes.append(Change(n, g.nodes[n].get("name", n), column, "" if old is None else str(old),
                              "" if new is None else str(new), file, line))

    def set_attr(n: str, column: str, new, rec: Record) -> None:
        old = g.nodes[n].get(column)
        if (old or None) == (new or None):
            return
        if new is None:
            g.nodes[n].pop(column, None)
        else:
            g.nodes[n][column] = new
        change(n, column, old, new, rec.file, rec.line)

    def verified(n: str, rec: Record, rel: Relationship | ReportingException | None) -> None:
        date = data.published or rec.updated or None
        files = [rec.file] + ([rel.file] if rel is not None and rel.file != rec.file else [])
        source = "GLEIF golden copy " + ", ".join(files)
        for column, value in (("ownership", "verified"), ("ownership_source", source), ("ownership_checked", date)):
            old = g.nodes[n].get(column)
            if value and old != value:
                g.nodes[n][column] = value
                change(n, column, old, value, rel.file if rel else rec.file, rel.line if rel else rec.line)

    def node_for(lei: str) -> str:
        """The supplier for a parent LEI: by LEI, else by exact folded name, else a new one."""
        if lei in node_of:
            return node_of[lei]
        rec = data.records.get(lei)
        if rec is not None:
            same = [n for n in unnamed.get(fold_name(rec.name), []) if not g.nodes[n].get("lei")]
            if len(same) == 1:
                node_of[lei] = same[0]
                return same[0]
        n = f"LEI-{lei}"
        g.add_node(n, kind="supplier", name=rec.name if rec else lei)
        node_of[lei] = n
        if rec is not None:
            changes.append(Change(n, g.nodes[n]["name"], "id", "", n, rec.file, rec.line))
        else:
            problems.append(_problem(data.lei_file, None, LEVEL1["lei"], lei,
                                     f"the parent LEI {lei} (added as supplier {n}) has no record in the level-1 file, "
                                     "so its name and country are unknown.",
                                     "Check that both files are from the same publication.", rule="gleif-no-record"))
        return n

    done: set[str] = set()

    def apply(n: str, lei: str, top: Relationship | None = None) -> None:
        """Apply the record of ``lei`` to ``n`` and climb to its parent; ``top`` is the ultimate parent of the chain."""
        if lei in done:
            return
        done.add(lei)
        rec = data.records.get(lei)
        if rec is None:
            return
        top = data.ultimate.get(lei) or top
        set_attr(n, "lei", lei, rec)
        if rec.country and g.nodes[n].get("country") != rec.country:
            change(n, "country", g.nodes[n].get("country"), rec.country, rec.file, rec.line)
            _set_country(g, n, rec.country)
        set_attr(n, "hq_country", rec.hq_country if rec.hq_country and rec.hq_country != rec.country else None, rec)
        rel = data.direct.get(lei)
        if rel is None and top is not None and top.parent != lei:
            rel = top  # no direct parent recorded: the chain's ultimate parent owns it
        if rel is None:
            exc = data.exceptions.get((lei, "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT"))
            if exc is not None and exc.reason in TOP_OF_CHAIN:
                verified(n, rec, exc)
                return
            if top is not None and top.parent == lei:
                verified(n, rec, None)  # the ultimate parent of another entity: nothing consolidates it
                return
            name = g.nodes[n].get("name", n)
            why = f" GLEIF gives the reporting exception {exc.reason} ({exc.file} line {exc.line})." if exc else ""
            hint = "Its owner stays as it was and its ownership is not marked verified; " + (
                "check the company register." if data.repex_file else
                "give --gleif-repex to see GLEIF's reason, or check the company register.")
            problems.append(Problem("gleif-no-parent", data.rr_file, None, "lei", lei,
                                    f"{name} ({n}): no parent recorded by GLEIF for LEI {lei}.{why}", hint))
            return
        parent = node_for(rel.parent)
        old = parent_of(g, n)
        if old != parent:
            if n in ownership_chain(g, parent):
                problems.append(Problem("gleif-cycle", rel.file, rel.line, RR["parent"], rel.parent,
                                        f"{g.nodes[n].get('name', n)} ({n}): GLEIF's parent {parent} is already owned "
                                        "by it in the inventory; the parent was not changed.",
                                        "Check the owners (parent_id) in the inventory."))
            else:
                if old is not None:
                    g.remove_edge(n, old, key="owned_by")
                g.add_edge(n, parent, key="owned_by")
                change(n, "parent_id", old, parent, rel.file, rel.line)
        verified(n, rec, rel)
        apply(parent, rel.parent, top)

    suppliers = sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "supplier")
    for n in suppliers:
        d = g.nodes[n]
        lei = str(d.get("lei") or "").strip().upper()
        if lei:
            if lei not in data.records:
                problems.append(Problem("gleif-unknown-lei", data.lei_file, None, "lei", lei,
                                        f"{d.get('name', n)} ({n}): the LEI {lei} is not in this level-1 file; "
                                        "nothing was changed for it.",
                                        "Check the LEI (search it on https://search.gleif.org) and the file."))
                continue
            apply(n, lei)
            continue
        hits = [x for x in data.by_name.get(fold_name(d.get("name", "")), []) if data.records[x].status == "ACTIVE"]
        if len(hits) == 1:
            node_of.setdefault(hits[0], n)
            apply(n, hits[0])
        elif len(hits) > 1:
            problems.append(Problem("gleif-ambiguous-name", data.lei_file, None, "name", d.get("name"),
                                    f"{d.get('name', n)} ({n}): {len(hits)} active GLEIF records have this legal name "
                                    f"({', '.join(sorted(hits)[:5])}); none was applied.",
                                    "Write the right LEI in the supplier's lei column and run the refresh again."))
    return g, changes, problems


#: Where the golden copy is published; the source recorded in a refreshed catalogue.
GOLDEN_COPY_URL = "https://www.gleif.org/en/lei-data/gleif-golden-copy/download-the-golden-copy"


def apply_gleif_to_catalogue(raw: dict, data: GleifData) -> tuple[dict, list[Change]]:
    """A copy of a catalogue (as read by ``yaml.safe_load``) with the GLEIF facts of the entries that carry an LEI.

    Per entry whose ``lei`` has a level-1 record: ``country`` (legal address),
    ``hq_country`` (only where it differs), ``parent`` (the direct, else
    ultimate, GLEIF parent, when that parent is itself a catalogue entry by
    LEI; otherwise the parent is reported as a change not made, column
    ``parent (not catalogued)``) and ``ownership_source`` (the golden-copy
    page, the file and line as ``locator``, ``verified`` = the publication
    date) when GLEIF records a parent.

    >>> data = GleifData(records={"724500AAAAAAAAAAAA11": Record("724500AAAAAAAAAAAA11", "X B.V.", "NL", "US",
    ...                  "ACTIVE", "2026-10-01", "lei.csv", 2)}, lei_file="lei.csv", rr_file="rr.csv")
    >>> raw = {"suppliers": [{"id": "CAT-X", "name": "X", "country": "NL", "lei": "724500AAAAAAAAAAAA11"}]}
    >>> new, changes = apply_gleif_to_catalogue(raw, data)
    >>> new["suppliers"][0]["hq_country"], [str(c) for c in changes]
    ('US', ['X (CAT-X), hq_country: "" → "US" (lei.csv line 2)'])
    """
    import copy

    raw = copy.deepcopy(raw)
    entries = raw.get("suppliers") or []
    by_lei = {str(e["lei"]).upper(): e["id"] for e in entries if isinstance(e, dict) and e.get("lei")}
    changes: list[Change] = []
    for e in entries:
        if not isinstance(e, dict) or not e.get("lei"):
            continue
        lei = str(e["lei"]).upper()
        rec = data.records.get(lei)
        if rec is None:
            continue

        def put(key: str, new, file: str, line: int, entry=e) -> None:
            if entry.get(key) != new:
                changes.append(Change(entry["id"], entry.get("name", entry["id"]), key,
                                      "" if entry.get(key) is None else str(entry.get(key)), "" if new is None else str(new),
                                      file, line))
                entry[key] = new

        if rec.country:
            put("country", rec.country, rec.file, rec.line)
        hq = rec.hq_country if rec.hq_country and rec.hq_country != rec.country else None
        if hq or e.get("hq_country"):
            put("hq_country", hq, rec.file, rec.line)
        rel = data.direct.get(lei) or data.ultimate.get(lei)
        if rel is None:
            continue
        parent = by_lei.get(rel.parent)
        if parent is None:
            prec = data.records.get(rel.parent)
            changes.append(Change(e["id"], e.get("name", e["id"]), "parent (not catalogued)", str(e.get("parent") or ""),
                                  f"{rel.parent} {prec.name if prec else ''}".strip(), rel.file, rel.line))
            continue
        put("parent", parent, rel.file, rel.line)
        date = data.published or rec.updated
        put("ownership_source", {"url": GOLDEN_COPY_URL, "checked": date, "verified": date,
                                 "locator": f"{rel.file} line {rel.line}: {lei} {rel.type} {rel.parent}"}, rel.file, rel.line)
    return raw, changes
