"""Reference catalogue of suppliers and who owns them, loaded and checked.

The catalogue (``ontology/reference/suppliers.yaml``) records, for real
suppliers common in Dutch and European public-sector IT, the country each is
registered in and its nearest catalogued controlling owner (``parent``). Legal
control follows ownership: following ``parent`` up to the top of the chain
shows which jurisdictions can reach a supplier (a Dutch data centre owned by a
US group is within reach of US law).

Every fact carries a source URL. An entry whose ownership was checked
against a source that was actually found carries the day of that check
(``ownership_source.verified``) and has ``ownership_status == "verified"``;
every other entry's ownership counts as unknown (``"unknown"``), also where
``owner_unknown`` says the controlling owner could not be established.
Entries also record the countries of headquarters and of primary listing where
they differ from registration (``hq_country``, ``listing_country``) and
significant co-owners with their share (``co_owners``). The file format and its
checks are in :mod:`sovmap.ingest.catalogue_schema`; see ``docs/catalogue.md``.

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

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from datetime import date
from typing import Any

import yaml

__all__ = [
    "CATEGORIES",
    "CHANGE_STATUSES",
    "Catalogue",
    "CatalogueError",
    "CatalogueSource",
    "CatalogueSupplier",
    "CoOwner",
    "OwnershipChange",
    "default_catalogue_text",
    "lei_checksum_ok",
    "load_catalogue",
    "parse_catalogue",
    "validate_catalogue_data",
]

from .catalogue_schema import (CATEGORIES, CHANGE_STATUSES, CatalogueError, as_text, co_owner_items,
                               lei_checksum_ok, validate_catalogue_data)

_RESOURCE = ("reference", "suppliers.yaml")


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
    verified: str | None = None


@dataclass(frozen=True)
class CoOwner:
    """A significant owner that does not control the supplier alone.

    Attributes
    ----------
    id : str
        Catalogue id of the co-owner.
    share : float or None
        Its share in percent, where known.
    """

    id: str
    share: float | None = None


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
    hq_country, listing_country : str or None
        Country of the headquarters (principal place of business) and of the
        primary stock listing, where they differ from ``country``.
    co_owners : tuple of CoOwner
        Significant owners that do not control the supplier alone, with their share where known.
    owner_unknown : bool
        ``True`` when the controlling owner could not be established.
    ownership_verified : str or None
        The day (``YYYY-MM-DD``) the ownership was checked against the source in
        ``ownership_source.url``; ``None`` when it was not verified.
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
    co_owners: tuple[CoOwner, ...] = ()
    owner_note: str | None = None
    ownership_changes: tuple[OwnershipChange, ...] = ()
    eu_subsidiaries: tuple[str, ...] = ()
    legal_name_verified: bool = True
    note: str | None = None
    hq_country: str | None = None
    listing_country: str | None = None
    owner_unknown: bool = False
    ownership_verified: str | None = None

    @property
    def ownership_status(self) -> str:
        """``"verified"`` when the ownership was checked against a found source on a given day, else ``"unknown"``.

        >>> CatalogueSupplier("CAT-A", "A", "NL", "saas").ownership_status
        'unknown'
        >>> CatalogueSupplier("CAT-A", "A", "NL", "saas", ownership_verified="2026-11-29").ownership_status
        'verified'
        >>> CatalogueSupplier("CAT-A", "A", "NL", "saas", owner_unknown=True,
        ...                   ownership_verified="2026-11-29").ownership_status
        'unknown'
        """
        return "verified" if self.ownership_verified and not self.owner_unknown else "unknown"


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

    @property
    def unverified(self) -> tuple[CatalogueSupplier, ...]:
        """Entries whose ownership was not verified (``ownership_status == "unknown"``), in file order."""
        return tuple(s for s in self.suppliers if s.ownership_status != "verified")

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


def _source(value: Any) -> CatalogueSource | None:
    if not isinstance(value, Mapping):
        return None
    verified = as_text(value.get("verified"))
    return CatalogueSource(url=value["url"], checked=as_text(value["checked"]), locator=value.get("locator"),
                           verified=verified)


def parse_catalogue(data: Any, today: date | None = None) -> Catalogue:
    """Validate parsed catalogue YAML and build a :class:`Catalogue`.

    Parameters
    ----------
    data : Any
        The result of ``yaml.safe_load`` on a catalogue file.
    today : date, optional
        The day verification dates may not pass (today by default).

    Returns
    -------
    Catalogue

    Raises
    ------
    CatalogueError
        Listing every problem, if there is any.
    """
    problems = validate_catalogue_data(data, today)
    if problems:
        raise CatalogueError(problems)
    suppliers = []
    for entry in data["suppliers"]:
        changes = tuple(
            OwnershipChange(
                date=as_text(c["date"]), event=c["event"], source=c["source"],
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
            co_owners=tuple(CoOwner(i, s) for i, s in co_owner_items(entry.get("co_owners"), entry["id"], [])),
            owner_note=entry.get("owner_note"),
            ownership_changes=changes, eu_subsidiaries=tuple(entry.get("eu_subsidiaries") or ()),
            legal_name_verified=entry.get("legal_name_verified", True), note=entry.get("note"),
            hq_country=entry.get("hq_country"), listing_country=entry.get("listing_country"),
            owner_unknown=bool(entry.get("owner_unknown", False)),
            ownership_verified=as_text((entry.get("ownership_source") or {}).get("verified")),
        ))
    meta = data["catalogue"]
    return Catalogue(tuple(suppliers), version=str(as_text(meta["version"])),
                     compiled=str(as_text(meta["compiled"])), note=str(meta["note"]))


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
