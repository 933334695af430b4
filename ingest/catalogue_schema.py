"""The supplier catalogue's file format: accepted values and the checks every entry must pass.

:func:`validate_catalogue_data` checks parsed ``suppliers.yaml`` and returns
every problem as a plain sentence; :mod:`sovmap.ingest.catalogue` builds the
catalogue from data that passes. The format is described in ``docs/catalogue.md``.

Ownership facts and verification
--------------------------------
Every entry has an ``ownership_source`` (a URL). When the fact was checked
against a source that was actually found, ``ownership_source.verified`` holds
the date of that check (``YYYY-MM-DD``, not in the future) and ``url`` is that
source. Entries without it are allowed, but their ownership counts as unknown.
``owner_unknown: true`` marks an entry whose controlling owner could not be
established; it has no ``parent`` and is never verified.

Examples
--------
>>> src = {"url": "https://example.org", "checked": "2024", "verified": "2026-11-29"}
>>> data = {"catalogue": {"version": "t", "compiled": "2026-11-28", "note": "n"},
...         "suppliers": [
...   {"id": "CAT-A", "name": "A", "country": "NL", "category": "saas", "owner_unknown": True,
...    "ownership_source": src, "country_source": src, "co_owners": [{"id": "CAT-B", "share": 150}]},
...   {"id": "CAT-B", "name": "B", "country": "JE", "hq_country": "US", "category": "investor",
...    "ownership_source": src, "country_source": src}]}
>>> for p in validate_catalogue_data(data, today=date(2026, 11, 29)):
...     print(p)
CAT-A: owner_unknown is true, so ownership_source.verified must be left out (an unknown owner is never verified).
CAT-A: co_owners entry CAT-B has share 150; a share is a percentage above 0 and at most 100.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

__all__ = ["CATEGORIES", "CHANGE_STATUSES", "CatalogueError", "as_text", "lei_checksum_ok",
           "validate_catalogue_data"]

#: Accepted values of ``category``.
CATEGORIES: frozenset[str] = frozenset({
    "hyperscaler", "saas", "municipal-software", "hosting", "datacentre", "telecom",
    "security", "identity", "hardware", "eu-alternative", "consultancy", "investor", "other",
})

#: Accepted values of ``ownership_changes[].status`` (``completed`` when absent).
CHANGE_STATUSES: frozenset[str] = frozenset({"completed", "announced", "blocked"})

ID_RE = re.compile(r"^CAT-[A-Z0-9]+(?:-[A-Z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LEI_RE = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")

_SUPPLIER_KEYS = frozenset({
    "id", "name", "aliases", "country", "hq_country", "listing_country", "category", "parent", "co_owners",
    "owner_unknown", "lei", "ownership_source", "country_source", "owner_note", "ownership_changes",
    "eu_subsidiaries", "legal_name_verified", "note",
})
_CHANGE_KEYS = frozenset({"date", "event", "new_parent", "proposed_parent", "status", "source"})
_SOURCE_KEYS = frozenset({"url", "checked", "locator", "verified"})
_CO_OWNER_KEYS = frozenset({"id", "share"})


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


def as_text(value: Any) -> Any:
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


def _check_country(where: str, key: str, value: Any, problems: list[str], *, required: bool) -> None:
    if value is None:
        if required:
            problems.append(f"{where}: {key} is missing.")
        return
    if not isinstance(value, str) or not _COUNTRY_RE.match(value) or not _known_country(value):
        problems.append(f"{where}: {key} {value!r} is not an ISO 3166-1 alpha-2 code.")


def _check_source(where: str, value: Any, problems: list[str], today: date) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{where} must be a mapping with url and checked.")
        return
    extra = set(value) - _SOURCE_KEYS
    if extra:
        problems.append(f"{where} has unknown key(s): {', '.join(sorted(extra))}.")
    url = value.get("url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        problems.append(f"{where}.url must be an http(s) address.")
    checked = as_text(value.get("checked"))
    if not isinstance(checked, str) or not _DATE_RE.match(checked):
        problems.append(f"{where}.checked must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {checked!r}.")
    if "verified" in value:
        verified = as_text(value.get("verified"))
        try:
            day = date.fromisoformat(verified) if isinstance(verified, str) and _DAY_RE.match(verified) else None
        except ValueError:
            day = None
        if day is None:
            problems.append(f"{where}.verified must be the date of the check, YYYY-MM-DD, not {verified!r}.")
        elif day > today:
            problems.append(f"{where}.verified {verified} is in the future.")


def _id_list(entry: Mapping[str, Any], key: str, where: str, problems: list[str]) -> list[str]:
    value = entry.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: {key} must be a list of catalogue ids.")
        return []
    return value


def co_owner_items(value: Any, where: str, problems: list[str]) -> list[tuple[str, float | None]]:
    """``co_owners`` as (id, share) pairs; accepts plain ids and ``{id, share}`` mappings.

    >>> co_owner_items(["CAT-A", {"id": "CAT-B", "share": 50}], "X", [])
    [('CAT-A', None), ('CAT-B', 50.0)]
    """
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"{where}: co_owners must be a list of catalogue ids or {{id, share}} mappings.")
        return []
    out: list[tuple[str, float | None]] = []
    for item in value:
        if isinstance(item, str):
            out.append((item, None))
            continue
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            problems.append(f"{where}: co_owners entry {item!r} must be a catalogue id or {{id, share}}.")
            continue
        extra = set(item) - _CO_OWNER_KEYS
        if extra:
            problems.append(f"{where}: co_owners entry {item['id']} has unknown key(s) {', '.join(sorted(extra))}.")
        share = item.get("share")
        if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float))
                                  or not 0 < share <= 100):
            problems.append(f"{where}: co_owners entry {item['id']} has share {share!r}; "
                            "a share is a percentage above 0 and at most 100.")
            share = None
        out.append((item["id"], None if share is None else float(share)))
    return out


def validate_catalogue_data(data: Any, today: date | None = None) -> list[str]:
    """Check parsed catalogue YAML and return every problem found (empty when valid).

    Checks: the ``catalogue`` and ``suppliers`` blocks exist; ids are well formed
    and unique; names, countries (registration, headquarters, listing: ISO
    3166-1 alpha-2), categories and LEIs are valid; every entry has a source URL
    for its country and for its ownership; a ``verified`` date is a real day not
    after ``today``; an entry with ``owner_unknown`` has no parent and no
    ``verified`` date; co-owner shares are percentages; every referenced id
    (parent, co-owner, EU subsidiary, ownership change) exists; EU subsidiaries
    really sit below the entry that lists them; parent chains have no cycles.
    Unverified entries are allowed (:attr:`Catalogue.unverified` counts them).

    Parameters
    ----------
    data : Any
        The result of ``yaml.safe_load`` on a catalogue file.
    today : date, optional
        The day verification dates may not pass; today by default.

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
    today = today or date.today()
    problems: list[str] = []
    if not isinstance(data, Mapping):
        return ["The catalogue file must be a mapping with 'catalogue' and 'suppliers' keys."]
    meta = data.get("catalogue")
    if not isinstance(meta, Mapping):
        problems.append("The 'catalogue' block (version, compiled, note) is missing.")
    else:
        for key in ("version", "compiled", "note"):
            if not as_text(meta.get(key)):
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
        if not isinstance(sid, str) or not ID_RE.match(sid):
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
        _check_country(where, "country", country, problems, required=True)
        for key in ("hq_country", "listing_country"):
            _check_country(where, key, entry.get(key), problems, required=False)
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
            _check_source(f"{where}.country_source", entry["country_source"], problems, today)
        ownership_source = entry.get("ownership_source")
        if ownership_source is None:
            problems.append(f"{where}: ownership_source is missing (every ownership fact needs a source URL).")
        else:
            _check_source(f"{where}.ownership_source", ownership_source, problems, today)
        unknown = entry.get("owner_unknown", False)
        if not isinstance(unknown, bool):
            problems.append(f"{where}: owner_unknown must be true or false.")
        elif unknown:
            if parent is not None:
                problems.append(f"{where}: owner_unknown is true but a parent is given; leave one of them out.")
            if isinstance(ownership_source, Mapping) and "verified" in ownership_source:
                problems.append(f"{where}: owner_unknown is true, so ownership_source.verified must be left out "
                                "(an unknown owner is never verified).")
        co_owners = co_owner_items(entry.get("co_owners"), where, problems)
        ids = [i for i, _ in co_owners]
        if len(set(ids)) != len(ids):
            problems.append(f"{where}: a co-owner is listed twice.")
        if sid in ids or (parent is not None and parent in ids):
            problems.append(f"{where}: a co-owner cannot be the entry itself or its controlling parent.")
        if sum(s for _, s in co_owners if s is not None) > 100.0001:
            problems.append(f"{where}: the co-owners' shares add up to more than 100%.")
        verified = entry.get("legal_name_verified", True)
        if not isinstance(verified, bool):
            problems.append(f"{where}: legal_name_verified must be true or false.")
        changes = entry.get("ownership_changes")
        if changes is not None and not isinstance(changes, list):
            problems.append(f"{where}: ownership_changes must be a list.")
        for n, change in enumerate(changes or [], start=1):
            _check_change(f"{where}.ownership_changes[{n}]", change, problems)

    known = set(seen)
    for sid, entry in valid:
        parent = parents.get(sid)
        if parent is not None and parent not in known:
            problems.append(f"{sid}: parent {parent!r} is not in the catalogue.")
        for ref, _ in co_owner_items(entry.get("co_owners"), sid, []):
            if ref not in known:
                problems.append(f"{sid}: co_owners entry {ref!r} is not in the catalogue.")
        for ref in _id_list(entry, "eu_subsidiaries", sid, problems):
            if ref not in known:
                problems.append(f"{sid}: eu_subsidiaries entry {ref!r} is not in the catalogue.")
        for n, change in enumerate(entry.get("ownership_changes") or [], start=1):
            if not isinstance(change, Mapping):
                continue
            for key in ("new_parent", "proposed_parent"):
                ref = change.get(key)
                if ref is not None and ref not in known:
                    problems.append(f"{sid}.ownership_changes[{n}]: {key} {ref!r} is not in the catalogue.")

    reported = _cycles(parents, problems)
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


def _check_change(cw: str, change: Any, problems: list[str]) -> None:
    if not isinstance(change, Mapping):
        problems.append(f"{cw} must be a mapping.")
        return
    extra = set(change) - _CHANGE_KEYS
    if extra:
        problems.append(f"{cw}: unknown key(s) {', '.join(sorted(extra))}.")
    when = as_text(change.get("date"))
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


def _cycles(parents: dict[str, str | None], problems: list[str]) -> set[frozenset[str]]:
    """Walk each chain; report each cycle once, starting from its smallest id."""
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
    return reported
