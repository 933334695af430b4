"""Countries: ISO codes and names from pycountry, EU/EEA, adequacy and reach of law.

Examples
--------
>>> parse_country("Nederland")
'NL'
>>> parse_country("united states")
'US'
>>> info = country("IE")
>>> info.eu, info.eea, info.adequacy
(True, True, False)
>>> [law.id for law in country("US").laws]
['US-CLOUD-ACT', 'US-FISA-702']
>>> country("BR").adequacy_decision
'Commission Implementing Decision (EU) 2026/179 of 26 January 2026'
>>> law = country("US").laws[1]
>>> law.checked, law.verified
('2026-11-29', False)
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry
import yaml

__all__ = ["Law", "CountryInfo", "country", "parse_country", "suggest_country", "reference", "country_iri"]

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"


@dataclass(frozen=True)
class Law:
    """A law that lets a state reach data held abroad, with the page it was checked against and when."""

    id: str
    country: str
    name: str
    reach: str
    source_url: str
    checked: str = ""
    verified: bool = False  # False: some part (see note) could not be confirmed from a source found
    status: str = ""  # where the law's force changed or is time-limited
    note: str = ""


@dataclass(frozen=True)
class CountryInfo:
    code: str
    name: str
    name_nl: str
    eu: bool
    eea: bool
    adequacy: bool
    adequacy_decision: str | None
    dpf: bool  # adequacy only through the EU-US Data Privacy Framework
    laws: tuple[Law, ...]
    adequacy_scope: str | None = None
    adequacy_source: str | None = None  # the page the adequacy fact was checked against

    @property
    def european(self) -> bool:
        """True for the EU/EEA: the area the guidance treats as under European control."""
        return self.eea

    def label(self, lang: str = "en") -> str:
        return self.name_nl if lang == "nl" else self.name


@cache
def reference() -> dict:
    """The raw reference data (countries.yaml) with its sources."""
    text = resources.files("sovmap.ontology").joinpath("reference/countries.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def _dutch() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"])
    except OSError:  # pragma: no cover - pycountry always ships its locales
        return gettext.NullTranslations()


def _fold(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("-", " ").replace(".", " ").split())


@cache
def _names() -> dict[str, str]:
    """Every accepted spelling (folded) → alpha-2 code."""
    tr = _dutch()
    out: dict[str, str] = {}
    for c in pycountry.countries:
        names = [c.alpha_2, c.alpha_3, c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
        names += [tr.gettext(n) for n in names[2:] if n]
        for n in names:
            if n:
                out.setdefault(_fold(n), c.alpha_2)
    extra = {"uk": "GB", "england": "GB", "usa": "US", "vs": "US", "verenigde staten van amerika": "US",
             "holland": "NL", "engeland": "GB", "zuid korea": "KR", "south korea": "KR"}
    for k, v in extra.items():
        out.setdefault(k, v)
    return out


def parse_country(text: str) -> str | None:
    """Return the ISO 3166 alpha-2 code for a code or an English or Dutch name, else None."""
    if text is None:
        return None
    return _names().get(_fold(text))


def suggest_country(text: str) -> str | None:
    """A close spelling for an unknown country, for a did-you-mean hint."""
    import difflib

    hit = difflib.get_close_matches(_fold(text), list(_names()), n=1, cutoff=0.75)
    return _names()[hit[0]] if hit else None


@cache
def _laws() -> tuple[Law, ...]:
    return tuple(
        Law(id=x["id"], country=x["country"], name=x["name"], reach=x["reach"], source_url=x["source"]["url"],
            checked=str(x["source"]["checked"]), verified=bool(x.get("verified")), status=x.get("status", ""),
            note=x.get("note", ""))
        for x in reference()["laws"]
    )


@cache
def country(code: str) -> CountryInfo:
    """Facts about the country with ISO alpha-2 ``code``."""
    ref = reference()
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        raise KeyError(f"{code!r} is not an ISO 3166 alpha-2 country code")
    name = getattr(c, "common_name", None) or c.name
    eu = code in ref["eu_members"]
    adequacy = ref["adequacy"].get(code)
    return CountryInfo(
        code=code,
        name=name,
        name_nl=_dutch().gettext(c.name),
        eu=eu,
        eea=eu or code in ref["eea_only_members"],
        adequacy=adequacy is not None,
        adequacy_decision=adequacy["decision"] if adequacy else None,
        dpf=bool(adequacy and adequacy.get("dpf")),
        laws=tuple(law for law in _laws() if law.country == code),
        adequacy_scope=str(adequacy["scope"]) if adequacy else None,
        adequacy_source=adequacy["source"]["url"] if adequacy else None,
    )


def country_iri(code: str) -> str:
    """The EU Publications Office authority IRI for a country (alpha-3 based)."""
    return EU_AUTHORITY + pycountry.countries.get(alpha_2=code).alpha_3
