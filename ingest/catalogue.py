"""Reference catalogue of suppliers and who owns them, loaded and checked.

The catalogue (``ontology/reference/suppliers.yaml``) records, for real
suppliers common in Dutch and European public-sector IT, the country each is
registered in and its nearest catalogued controlling owner (``parent``). Legal
control follows ownership: following ``parent`` up to the top of the chain
shows which jurisdictions can reach a supplier (a Dutch data centre owned by a
US group is within reach of US law).

Every fact carries a source; the catalogue was compiled without online
re-verification, so re-check facts against their sources before relying on
them (see the ``catalogue.note`` in the YAML file).

Examples
--------
>>> cat = parse_catalogue({
...     "catalogue": {"version": "t", "compiled": "2026-11-28", "note": "test"},
...     "suppliers": [
...         {"id": "CAT-TOP", "name": "Top Inc.", "country": "US", "category": "hyperscaler",
...          "parent": None,
...          "ownership_source": {"url": "https://example.org/a", "checked": "2024-12-31"},
...          "country_source": {"url": "https://example.org/a", "checked": "2024-12-31"}},
...         {"id": "CAT-SUB", "name": "Sub B.V.", "aliases": ["Sub"], "country": "NL",
...          "category": "hosting", "parent": "CAT-TOP",
...          "ownership_source": {"url": "https://example.org/b", "checked": "2020-03"},
...          "country_source": {"url": "https://example.org/b", "checked": "2024-12-31"}},
...     ]})
>>> cat.chain("CAT-SUB")
['CAT-SUB', 'CAT-TOP']
>>> cat.ultimate_parent("CAT-SUB").country
'US'
>>> [s.id for s in cat.lookup("sub")]
['CAT-SUB']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "CATEGORIES",
    "CHANGE_STATUSES",
    "Catalogue",
    "CatalogueError",
    "CatalogueSource",
    "CatalogueSupplier",
    "OwnershipChange",
    "default_catalogue_text",
    "lei_checksum_ok",
    "load_catalogue",
    "parse_catalogue",
    "validate_catalogue_data",
]

#: Accepted values of ``category``.
CATEGORIES: frozenset[str] = frozenset({
    "hyperscaler", "saas", "municipal-software", "hosting", "datacentre", "telecom",
    "security", "identity", "hardware", "eu-alternative", "consultancy", "other",
})

#: Accepted values of ``ownership_changes[].status`` (``completed`` when absent).
CHANGE_STATUSES: frozenset[str] = frozenset({"completed", "announced", "blocked"})

_ID_RE = re.compile(r"^CAT-[A-Z0-9]+(?:-[A-Z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_LEI_RE = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_RESOURCE = ("reference", "suppliers.yaml")

_SUPPLIER_KEYS = frozenset({
    "id", "name", "aliases", "country", "category", "parent", "co_owners", "lei",
    "ownership_source", "country_source", "owner_note", "ownership_changes",
    "eu_subsidiaries", "legal_name_verified", "note",
})
_CHANGE_KEYS = frozenset({"date", "event", "new_parent", "proposed_parent", "status", "source"})
_SOURCE_KEYS = frozenset({"url", "checked", "locator"})


class CatalogueError(ValueError):
    """The catalogue data is inconsistent; ``problems`` lists every problem found.

    Parameters
    ----------
    problems : Sequence[str]
        One plain sentence per problem.

    Examples
    --------
    >>> err = CatalogueError(["a is wrong.", "b is missing."])
    >>> print(err)
    The supplier catalogue has 2 problem(s):
      - a is wrong.
      - b is missing.
    >>> err.problems
    ('a is wrong.', 'b is missing.')
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        lines = [f"The supplier catalogue has {len(self.problems)} problem(s):"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class CatalogueSource:
    """Where a fact comes from.

    Attributes
    ----------
    url : str
        Address of the source (filing, register search page, press release, article).
    checked : str
        Date of the source's information: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    locator : str or None
        Where in the source to look (exhibit, register to search, section).
    """

    url: str
    checked: str
    locator: str | None = None


@dataclass(frozen=True)
class OwnershipChange:
    """A dated change of owner (or jurisdiction) of a supplier.

    Attributes
    ----------
    date : str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    event : str
        What happened, in one sentence.
    source : str
        URL of the source for this event.
    new_parent : str or None
        Catalogue id of the new controlling owner, for completed changes only.
    status : str
        ``completed`` (default), ``announced`` or ``blocked``.
    proposed_parent : str or None
        Catalogue id of the would-be owner of an announced or blocked deal.
    """

    date: str
    event: str
    source: str
    new_parent: str | None = None
    status: str = "completed"
    proposed_parent: str | None = None


@dataclass(frozen=True)
class CatalogueSupplier:
    """One supplier (legal entity) in the catalogue.

    Attributes
    ----------
    id : str
        Stable id, ``CAT-`` followed by upper-case words joined by ``-``.
    name : str
        Legal name (the trade name when ``legal_name_verified`` is false).
    aliases : tuple of str
        Trade and product names people type in inventories.
    country : str
        ISO 3166-1 alpha-2 code of the country of registration.
    category : str
        One of :data:`CATEGORIES`.
    parent : str or None
        Id of the nearest catalogued controlling owner; ``None`` at the top of a chain.
    lei : str or None
        Legal Entity Identifier, only when certain.
    ownership_source, country_source : CatalogueSource or None
        Sources of the ownership fact and of the country.
    co_owners : tuple of str
        Ids of significant owners that do not control the supplier alone.
    owner_note : str or None
        Ownership facts about owners that are not catalogued.
    ownership_changes : tuple of OwnershipChange
        Dated ownership events, oldest first.
    eu_subsidiaries : tuple of str
        Ids of notable EU subsidiaries that are in the catalogue.
    legal_name_verified : bool
        ``False`` when the exact legal entity name could not be checked.
    note : str or None
        Free-text remark.
    """

    id: str
    name: str
    country: str
    category: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    lei: str | None = None
    ownership_source: CatalogueSource | None = None
    country_source: CatalogueSource | None = None
    co_owners: tuple[str, ...] = ()
    owner_note: str | None = None
    ownership_changes: tuple[OwnershipChange, ...] = ()
    eu_subsidiaries: tuple[str, ...] = ()
    legal_name_verified: bool = True
    note: str | None = None


@dataclass(frozen=True)
class Catalogue:
    """The validated supplier catalogue with lookups along ownership chains.

    Attributes
    ----------
    suppliers : tuple of CatalogueSupplier
        All entries, in file order.
    version, compiled, note : str
        Metadata from the ``catalogue:`` block.

    Examples
    --------
    >>> top = CatalogueSupplier("CAT-A", "A Inc.", "US", "saas")
    >>> sub = CatalogueSupplier("CAT-B", "B B.V.", "NL", "saas", parent="CAT-A")
    >>> cat = Catalogue((top, sub))
    >>> cat.get("CAT-B").name
    'B B.V.'
    >>> cat.chain("CAT-B")
    ['CAT-B', 'CAT-A']
    >>> cat.ultimate_parent("CAT-A").id
    'CAT-A'
    >>> "CAT-A" in cat, len(cat)
    (True, 2)
    """

    suppliers: tuple[CatalogueSupplier, ...]
    version: str = ""
    compiled: str = ""
    note: str = ""
    _by_id: dict[str, CatalogueSupplier] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {s.id: s for s in self.suppliers})

    def __iter__(self) -> Iterator[CatalogueSupplier]:
        return iter(self.suppliers)

    def __len__(self) -> int:
        return len(self.suppliers)

    def __contains__(self, supplier_id: object) -> bool:
        return supplier_id in self._by_id

    def get(self, supplier_id: str) -> CatalogueSupplier:
        """Return the entry with this id.

        Parameters
        ----------
        supplier_id : str
            A catalogue id such as ``"CAT-MICROSOFT-IE"``.

        Returns
        -------
        CatalogueSupplier

        Raises
        ------
        KeyError
            If no entry has this id.
        """
        try:
            return self._by_id[supplier_id]
        except KeyError:
            raise KeyError(f"{supplier_id!r} is not in the supplier catalogue") from None

    def chain(self, supplier_id: str) -> list[str]:
        """Ids from this entry up to the top of its ownership chain.

        Parameters
        ----------
        supplier_id : str
            Where to start.

        Returns
        -------
        list of str
            ``[supplier_id, parent, grandparent, ..., top]``.

        Raises
        ------
        KeyError
            If an id on the way is not in the catalogue.
        CatalogueError
            If the chain loops (cannot happen for a catalogue built by
            :func:`parse_catalogue`, which rejects cycles).
        """
        ids: list[str] = []
        current: str | None = supplier_id
        while current is not None:
            if current in ids:
                raise CatalogueError([f"Ownership cycle: {' -> '.join(ids + [current])}."])
            ids.append(current)
            current = self.get(current).parent
        return ids

    def ultimate_parent(self, supplier_id: str) -> CatalogueSupplier:
        """The entry at the top of the ownership chain (the entry itself if it has no parent).

        Parameters
        ----------
        supplier_id : str
            Where to start.

        Returns
        -------
        CatalogueSupplier
        """
        return self.get(self.chain(supplier_id)[-1])

    def lookup(self, name: str) -> list[CatalogueSupplier]:
        """Entries whose id, name or an alias equals ``name`` (case and spacing ignored).

        Parameters
        ----------
        name : str
            What an inventory calls the supplier or product.

        Returns
        -------
        list of CatalogueSupplier
            In catalogue order; empty when nothing matches exactly.
        """
        key = _norm(name)
        return [s for s in self.suppliers
                if key in {_norm(s.id), _norm(s.name), *(_norm(a) for a in s.aliases)}]


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def lei_checksum_ok(lei: str) -> bool:
    """Whether ``lei`` has the form and check digits of ISO 17442 (ISO/IEC 7064 MOD 97-10).

    Parameters
    ----------
    lei : str
        A 20-character Legal Entity Identifier.

    Returns
    -------
    bool

    Examples
    --------
    >>> lei_checksum_ok("INR2EJN1ERAN0W5ZP974")
    True
    >>> lei_checksum_ok("INR2EJN1ERAN0W5ZP975")
    False
    """
    if not isinstance(lei, str) or not _LEI_RE.match(lei):
        return False
    return int("".join(str(int(ch, 36)) for ch in lei)) % 97 == 1


def _as_text(value: Any) -> Any:
    """YAML may turn unquoted dates and years into date/int objects; give them back as text."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _known_country(code: str) -> bool:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is optional here
        return True
    return pycountry.countries.get(alpha_2=code) is not None


def _check_source(where: str, value: Any, problems: list[str]) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{where} must be a mapping with url and checked.")
        return
    extra = set(value) - _SOURCE_KEYS
    if extra:
        problems.append(f"{where} has unknown key(s): {', '.join(sorted(extra))}.")
    url = value.get("url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        problems.append(f"{where}.url must be an http(s) address.")
    checked = _as_text(value.get("checked"))
    if not isinstance(checked, str) or not _DATE_RE.match(checked):
        problems.append(f"{where}.checked must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {checked!r}.")


def _id_list(entry: Mapping[str, Any], key: str, where: str, problems: list[str]) -> list[str]:
    value = entry.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: {key} must be a list of catalogue ids.")
        return []
    return value


def validate_catalogue_data(data: Any) -> list[str]:
    """Check parsed catalogue YAML and return every problem found (empty when valid).

    Checks: the ``catalogue`` and ``suppliers`` blocks exist; ids are well formed
    and unique; names, countries (ISO 3166-1 alpha-2), categories and LEIs are
    valid; every entry has a source for its country and for its ownership; every
    referenced id (parent, co-owner, EU subsidiary, ownership change) exists; EU
    subsidiaries really sit below the entry that lists them; parent chains have
    no cycles.

    Parameters
    ----------
    data : Any
        The result of ``yaml.safe_load`` on a catalogue file.

    Returns
    -------
    list of str
        Plain-sentence problems, in a stable order.

    Examples
    --------
    >>> src = {"url": "https://example.org", "checked": "2024"}
    >>> data = {"catalogue": {"version": "t", "compiled": "2026-11-28", "note": "n"},
    ...         "suppliers": [
    ...   {"id": "CAT-A", "name": "A", "country": "NL", "category": "saas", "parent": "CAT-B",
    ...    "ownership_source": src, "country_source": src},
    ...   {"id": "CAT-B", "name": "B", "country": "NL", "category": "saas", "parent": "CAT-A",
    ...    "ownership_source": src, "country_source": src}]}
    >>> validate_catalogue_data(data)
    ['Ownership cycle: CAT-A -> CAT-B -> CAT-A.']
    """
    problems: list[str] = []
    if not isinstance(data, Mapping):
        return ["The catalogue file must be a mapping with 'catalogue' and 'suppliers' keys."]
    meta = data.get("catalogue")
    if not isinstance(meta, Mapping):
        problems.append("The 'catalogue' block (version, compiled, note) is missing.")
    else:
        for key in ("version", "compiled", "note"):
            if not _as_text(meta.get(key)):
                problems.append(f"catalogue.{key} is missing.")
    entries = data.get("suppliers")
    if not isinstance(entries, list) or not entries:
        problems.append("The 'suppliers' list is missing or empty.")
        return problems

    seen: dict[str, int] = {}
    parents: dict[str, str | None] = {}
    valid: list[tuple[str, Mapping[str, Any]]] = []
    for index, entry in enumerate(entries, start=1):
        where = f"suppliers[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(f"{where} must be a mapping.")
            continue
        sid = entry.get("id")
        if not isinstance(sid, str) or not _ID_RE.match(sid):
            problems.append(f"{where}: id {sid!r} must look like CAT-NAME (upper case, digits, hyphens).")
            continue
        where = sid
        if sid in seen:
            problems.append(f"{sid}: id is used twice (entries {seen[sid]} and {index}).")
            continue
        seen[sid] = index
        valid.append((sid, entry))
        extra = set(entry) - _SUPPLIER_KEYS
        if extra:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(extra))}.")
        if not isinstance(entry.get("name"), str) or not entry["name"].strip():
            problems.append(f"{where}: name is missing.")
        aliases = entry.get("aliases")
        if aliases is not None and (not isinstance(aliases, list)
                                    or not all(isinstance(a, str) and a.strip() for a in aliases)):
            problems.append(f"{where}: aliases must be a list of non-empty strings.")
        country = entry.get("country")
        if country is None:
            problems.append(f"{where}: country is missing.")
        elif not isinstance(country, str) or not _COUNTRY_RE.match(country) or not _known_country(country):
            problems.append(f"{where}: country {country!r} is not an ISO 3166-1 alpha-2 code.")
        category = entry.get("category")
        if category not in CATEGORIES:
            problems.append(f"{where}: category {category!r} is not one of {', '.join(sorted(CATEGORIES))}.")
        parent = entry.get("parent")
        if parent is not None and not isinstance(parent, str):
            problems.append(f"{where}: parent must be a catalogue id or null.")
            parent = None
        if parent == sid:
            problems.append(f"{where}: is its own parent.")
        parents[sid] = parent
        lei = entry.get("lei")
        if lei is not None and not lei_checksum_ok(lei):
            problems.append(f"{where}: lei {lei!r} is not a valid ISO 17442 code.")
        if "country_source" not in entry or entry.get("country_source") is None:
            problems.append(f"{where}: country_source is missing (every country needs a source).")
        else:
            _check_source(f"{where}.country_source", entry["country_source"], problems)
        if entry.get("ownership_source") is None:
            if parent is not None or country is not None:
                problems.append(f"{where}: ownership_source is missing (needed when parent or country is set).")
        else:
            _check_source(f"{where}.ownership_source", entry["ownership_source"], problems)
        verified = entry.get("legal_name_verified", True)
        if not isinstance(verified, bool):
            problems.append(f"{where}: legal_name_verified must be true or false.")
        changes = entry.get("ownership_changes")
        if changes is not None and not isinstance(changes, list):
            problems.append(f"{where}: ownership_changes must be a list.")
        for n, change in enumerate(changes or [], start=1):
            cw = f"{where}.ownership_changes[{n}]"
            if not isinstance(change, Mapping):
                problems.append(f"{cw} must be a mapping.")
                continue
            extra = set(change) - _CHANGE_KEYS
            if extra:
                problems.append(f"{cw}: unknown key(s) {', '.join(sorted(extra))}.")
            when = _as_text(change.get("date"))
            if not isinstance(when, str) or not _DATE_RE.match(when):
                problems.append(f"{cw}: date must be YYYY, YYYY-MM or YYYY-MM-DD, not {when!r}.")
            if not isinstance(change.get("event"), str) or not change["event"].strip():
                problems.append(f"{cw}: event is missing.")
            source = change.get("source")
            if not isinstance(source, str) or not source.startswith(("https://", "http://")):
                problems.append(f"{cw}: source must be an http(s) address.")
            status = change.get("status", "completed")
            if status not in CHANGE_STATUSES:
                problems.append(f"{cw}: status {status!r} is not one of {', '.join(sorted(CHANGE_STATUSES))}.")
            if change.get("new_parent") is not None and status != "completed":
                problems.append(f"{cw}: new_parent is only allowed on completed changes; use proposed_parent.")

    known = set(seen)
    for sid, entry in valid:
        parent = parents.get(sid)
        if parent is not None and parent not in known:
            problems.append(f"{sid}: parent {parent!r} is not in the catalogue.")
        for key in ("co_owners", "eu_subsidiaries"):
            for ref in _id_list(entry, key, sid, problems):
                if ref not in known:
                    problems.append(f"{sid}: {key} entry {ref!r} is not in the catalogue.")
        for n, change in enumerate(entry.get("ownership_changes") or [], start=1):
            if not isinstance(change, Mapping):
                continue
            for key in ("new_parent", "proposed_parent"):
                ref = change.get(key)
                if ref is not None and ref not in known:
                    problems.append(f"{sid}.ownership_changes[{n}]: {key} {ref!r} is not in the catalogue.")

    # Cycles: walk each chain; report each cycle once, starting from its smallest id.
    reported: set[frozenset[str]] = set()
    for start in parents:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in parents and current not in path:
            path.append(current)
            current = parents[current]
        if current is not None and current in path:
            loop = path[path.index(current):]
            key = frozenset(loop)
            if key not in reported:
                reported.add(key)
                first = loop.index(min(loop))
                loop = loop[first:] + loop[:first]
                problems.append(f"Ownership cycle: {' -> '.join(loop + [loop[0]])}.")

    # EU subsidiaries must really be below the entry that lists them.
    if not reported:
        for sid, entry in valid:
            for ref in _id_list(entry, "eu_subsidiaries", sid, []):
                if ref not in parents:
                    continue
                up, current = set(), parents.get(ref)
                while current is not None and current in parents and current not in up:
                    up.add(current)
                    current = parents[current]
                if sid not in up:
                    problems.append(f"{sid}: lists {ref} as an EU subsidiary, but {sid} is not in its parent chain.")
    return problems


def _source(value: Any) -> CatalogueSource | None:
    if not isinstance(value, Mapping):
        return None
    return CatalogueSource(url=value["url"], checked=_as_text(value["checked"]), locator=value.get("locator"))


def parse_catalogue(data: Any) -> Catalogue:
    """Validate parsed catalogue YAML and build a :class:`Catalogue`.

    Parameters
    ----------
    data : Any
        The result of ``yaml.safe_load`` on a catalogue file.

    Returns
    -------
    Catalogue

    Raises
    ------
    CatalogueError
        Listing every problem, if there is any.
    """
    problems = validate_catalogue_data(data)
    if problems:
        raise CatalogueError(problems)
    suppliers = []
    for entry in data["suppliers"]:
        changes = tuple(
            OwnershipChange(
                date=_as_text(c["date"]), event=c["event"], source=c["source"],
                new_parent=c.get("new_parent"), status=c.get("status", "completed"),
                proposed_parent=c.get("proposed_parent"),
            )
            for c in entry.get("ownership_changes") or []
        )
        suppliers.append(CatalogueSupplier(
            id=entry["id"], name=entry["name"], country=entry["country"], category=entry["category"],
            parent=entry.get("parent"), aliases=tuple(entry.get("aliases") or ()), lei=entry.get("lei"),
            ownership_source=_source(entry.get("ownership_source")),
            country_source=_source(entry.get("country_source")),
            co_owners=tuple(entry.get("co_owners") or ()), owner_note=entry.get("owner_note"),
            ownership_changes=changes, eu_subsidiaries=tuple(entry.get("eu_subsidiaries") or ()),
            legal_name_verified=entry.get("legal_name_verified", True), note=entry.get("note"),
        ))
    meta = data["catalogue"]
    return Catalogue(tuple(suppliers), version=str(_as_text(meta["version"])),
                     compiled=str(_as_text(meta["compiled"])), note=str(meta["note"]))


def default_catalogue_text() -> str:
    """Text of the packaged ``suppliers.yaml``.

    Reads the resource from the installed ``sovmap.ontology`` package; before
    that packaging exists, falls back to ``ontology/reference/suppliers.yaml``
    next to this module's package folder.

    Returns
    -------
    str

    Raises
    ------
    FileNotFoundError
        If the catalogue can be found in neither place.
    """
    try:
        from importlib.resources import files

        resource = files("sovmap.ontology").joinpath(*_RESOURCE)
        if resource.is_file():
            return resource.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, TypeError):
        pass
    here = Path(__file__).resolve()
    for base in (here.parent.parent, here.parent.parent.parent):
        candidate = base.joinpath("ontology", *_RESOURCE)
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError("suppliers.yaml not found in sovmap.ontology nor in ontology/reference/")


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load and validate the supplier catalogue.

    Parameters
    ----------
    path : str or Path, optional
        A catalogue YAML file; the packaged catalogue when omitted.

    Returns
    -------
    Catalogue

    Raises
    ------
    CatalogueError
        Listing every problem in the file.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> cat.chain("CAT-INTERXION")
    ['CAT-INTERXION', 'CAT-DIGITAL-REALTY']
    >>> cat.ultimate_parent("CAT-AXIS").country
    'JP'
    """
    text = default_catalogue_text() if path is None else Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError([f"The catalogue is not valid YAML: {exc}"]) from exc
    return parse_catalogue(data)
