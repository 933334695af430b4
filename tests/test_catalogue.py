"""Tests for the supplier ownership catalogue (ontology/reference/suppliers.yaml)."""

from __future__ import annotations

import copy
import doctest
import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pycountry
import pytest
import yaml

try:  # installed package layout
    from sovmap.ingest import catalogue as catalogue_module
except ImportError:
    try:  # repository layout with the repo root on sys.path
        from ingest import catalogue as catalogue_module
    except ImportError:  # last resort: import the file by path
        _path = Path(__file__).resolve().parent.parent / "ingest" / "catalogue.py"
        _spec = importlib.util.spec_from_file_location("ingest_catalogue_under_test", _path)
        catalogue_module = importlib.util.module_from_spec(_spec)
        sys.modules[_spec.name] = catalogue_module
        _spec.loader.exec_module(catalogue_module)

CATEGORIES = catalogue_module.CATEGORIES
Catalogue = catalogue_module.Catalogue
CatalogueError = catalogue_module.CatalogueError
lei_checksum_ok = catalogue_module.lei_checksum_ok
load_catalogue = catalogue_module.load_catalogue
parse_catalogue = catalogue_module.parse_catalogue
validate_catalogue_data = catalogue_module.validate_catalogue_data

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(catalogue_module.default_catalogue_text())


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def _src(url: str = "https://example.org/src", checked: str = "2024-12-31") -> dict:
    return {"url": url, "checked": checked}


def _entry(sid: str, parent: str | None = None, country: str = "NL", **extra) -> dict:
    entry = {"id": sid, "name": f"{sid} B.V.", "country": country, "category": "hosting",
             "parent": parent, "ownership_source": _src(), "country_source": _src()}
    entry.update(extra)
    return entry


def _doc(*entries: dict) -> dict:
    return {"catalogue": {"version": "test", "compiled": "2026-11-28", "note": "test"},
            "suppliers": list(entries)}


# ---------------------------------------------------------------- the shipped catalogue


def test_loads_and_has_at_least_150_entries(cat: Catalogue) -> None:
    assert len(cat) >= 150


def test_metadata_block(raw: dict) -> None:
    meta = raw["catalogue"]
    assert str(meta["compiled"]) == "2026-11-28"
    assert meta["version"]
    note = meta["note"].lower()
    assert "re-check" in note and "not re-verified" in note


def test_ids_unique_and_well_formed(raw: dict) -> None:
    ids = [e["id"] for e in raw["suppliers"]]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"CAT-[A-Z0-9]+(-[A-Z0-9]+)*", i) for i in ids)


def test_every_country_is_valid_iso_3166_alpha2(cat: Catalogue) -> None:
    bad = [(s.id, s.country) for s in cat if pycountry.countries.get(alpha_2=s.country) is None]
    assert bad == []


def test_categories_valid(cat: Catalogue) -> None:
    assert {s.category for s in cat} <= CATEGORIES
    assert CATEGORIES == {"hyperscaler", "saas", "municipal-software", "hosting", "datacentre", "telecom",
                          "security", "identity", "hardware", "eu-alternative", "consultancy", "investor", "other"}


def test_every_ownership_fact_has_a_source(raw: dict) -> None:
    for e in raw["suppliers"]:
        assert e.get("country"), e["id"]
        for key in ("country_source", "ownership_source"):
            src = e.get(key)
            assert isinstance(src, dict), (e["id"], key)
            assert src["url"].startswith(("https://", "http://")), (e["id"], key)
            assert DATE_RE.match(str(src["checked"])), (e["id"], key, src["checked"])
        for change in e.get("ownership_changes") or []:
            assert change["source"].startswith(("https://", "http://")), e["id"]
            assert DATE_RE.match(str(change["date"])), (e["id"], change["date"])


def test_parent_chains_resolve_without_cycles(cat: Catalogue) -> None:
    ids = {s.id for s in cat}
    for s in cat:
        chain = cat.chain(s.id)
        assert chain[0] == s.id
        assert len(chain) == len(set(chain))
        assert set(chain) <= ids
        top = cat.ultimate_parent(s.id)
        assert top.parent is None
        assert top.country and top.country_source is not None


def test_references_resolve(cat: Catalogue) -> None:
    for s in cat:
        for ref in (*(c.id for c in s.co_owners), *s.eu_subsidiaries):
            assert ref in cat, (s.id, ref)
        for change in s.ownership_changes:
            for ref in (change.new_parent, change.proposed_parent):
                assert ref is None or ref in cat, (s.id, ref)


def test_eu_subsidiaries_are_below_their_listing_entry(cat: Catalogue) -> None:
    for s in cat:
        for sub in s.eu_subsidiaries:
            assert s.id in cat.chain(sub)[1:], (s.id, sub)


def test_leis_are_valid_iso_17442(cat: Catalogue) -> None:
    leis = [s.lei for s in cat if s.lei]
    assert leis, "expected a few LEIs"
    assert all(lei_checksum_ok(lei) for lei in leis)
    assert len(leis) == len(set(leis))


def test_names_and_aliases_point_to_one_entry(cat: Catalogue) -> None:
    owners: dict[str, set[str]] = {}
    for s in cat:
        for label in (s.name, *s.aliases):
            owners.setdefault(" ".join(label.casefold().split()), set()).add(s.id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


# ---------------------------------------------------------------- pinned facts


@pytest.mark.parametrize("supplier, top, country", [
    ("CAT-INTERXION", "CAT-DIGITAL-REALTY", "US"),
    ("CAT-AXIS", "CAT-CANON", "JP"),
    ("CAT-MILESTONE", "CAT-CANON", "JP"),
    ("CAT-MICROSOFT-IE", "CAT-MICROSOFT", "US"),
    ("CAT-AWS-EMEA", "CAT-AMAZON", "US"),
    ("CAT-GOOGLE-CLOUD-EMEA", "CAT-ALPHABET", "US"),
    ("CAT-LINKEDIN", "CAT-MICROSOFT", "US"),
    ("CAT-VMWARE", "CAT-BROADCOM", "US"),
    ("CAT-REDHAT", "CAT-IBM", "US"),
    ("CAT-FOXIT", "CAT-NCC", "GB"),
    ("CAT-ORDINA", "CAT-SOPRA-STERIA", "FR"),
    ("CAT-GEMALTO", "CAT-THALES", "FR"),
    ("CAT-MENDIX", "CAT-SIEMENS", "DE"),
    ("CAT-STACKIT", "CAT-SCHWARZ", "DE"),
    ("CAT-T-SYSTEMS", "CAT-DEUTSCHE-TELEKOM", "DE"),
    ("CAT-IONOS", "CAT-UNITED-INTERNET", "DE"),
    ("CAT-SCALEWAY", "CAT-ILIAD", "FR"),
    ("CAT-HIKVISION", "CAT-CETC", "CN"),
    ("CAT-LEXMARK", "CAT-XEROX", "US"),
    ("CAT-PROTON", "CAT-PROTON-FOUNDATION", "CH"),
])
def test_pinned_chains(cat: Catalogue, supplier: str, top: str, country: str) -> None:
    ultimate = cat.ultimate_parent(supplier)
    assert ultimate.id == top
    assert ultimate.country == country


def test_pinned_countries_of_registration(cat: Catalogue) -> None:
    assert cat.get("CAT-INTERXION").country == "NL"
    assert cat.get("CAT-AXIS").country == "SE"
    assert cat.get("CAT-MICROSOFT-IE").country == "IE"
    assert cat.get("CAT-AWS-EMEA").country == "LU"
    assert cat.get("CAT-ACCENTURE").country == "IE"
    assert cat.get("CAT-ELASTIC").country == "NL"
    assert cat.get("CAT-LENOVO").country == "HK"


def test_dated_changes(cat: Catalogue) -> None:
    interxion = cat.get("CAT-INTERXION").ownership_changes
    assert any(c.date.startswith("2020") and c.new_parent == "CAT-DIGITAL-REALTY" for c in interxion)
    vmware = cat.get("CAT-VMWARE").ownership_changes
    assert any(c.date.startswith("2023") and c.new_parent == "CAT-BROADCOM" for c in vmware)


def test_solvinity_kyndryl_deal_recorded_as_blocked_not_completed(cat: Catalogue) -> None:
    solvinity = cat.get("CAT-SOLVINITY")
    assert solvinity.parent is None
    assert "CAT-KYNDRYL" not in cat.chain("CAT-SOLVINITY")
    statuses = {c.status for c in solvinity.ownership_changes if c.proposed_parent == "CAT-KYNDRYL"}
    assert statuses == {"announced", "blocked"}
    assert all(c.new_parent is None for c in solvinity.ownership_changes)


def test_joint_venture_recorded_as_co_owners(cat: Catalogue) -> None:
    vz = cat.get("CAT-VODAFONEZIGGO")
    assert vz.parent is None
    assert {c.id for c in vz.co_owners} == {"CAT-VODAFONE", "CAT-LIBERTY-GLOBAL"}
    assert cat.ultimate_parent("CAT-ZIGGO").id == "CAT-VODAFONEZIGGO"


def test_lookup_by_alias(cat: Catalogue) -> None:
    assert [s.id for s in cat.lookup("  interxion ")] == ["CAT-INTERXION"]
    assert [s.id for s in cat.lookup("Microsoft 365")] == ["CAT-MICROSOFT"]
    assert cat.lookup("no such supplier") == []


def test_get_unknown_id_raises_key_error(cat: Catalogue) -> None:
    with pytest.raises(KeyError):
        cat.get("CAT-DOES-NOT-EXIST")


# ---------------------------------------------------------------- the validator


def test_validator_reports_cycle_and_unknown_parent_together() -> None:
    data = _doc(_entry("CAT-A", "CAT-B"), _entry("CAT-B", "CAT-C"), _entry("CAT-C", "CAT-A"),
                _entry("CAT-D", "CAT-NOWHERE"))
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(data)
    problems = info.value.problems
    assert "Ownership cycle: CAT-A -> CAT-B -> CAT-C -> CAT-A." in problems
    assert any("CAT-D" in p and "'CAT-NOWHERE'" in p and "not in the catalogue" in p for p in problems)
    assert len(problems) == 2
    assert "2 problem(s)" in str(info.value)


def test_validator_reports_missing_country_and_sources() -> None:
    no_country = _entry("CAT-A")
    del no_country["country"]
    no_sources = _entry("CAT-B", "CAT-A")
    del no_sources["country_source"], no_sources["ownership_source"]
    problems = validate_catalogue_data(_doc(no_country, no_sources))
    assert any(p.startswith("CAT-A: country is missing") for p in problems)
    assert any(p.startswith("CAT-B: country_source is missing") for p in problems)
    assert any(p.startswith("CAT-B: ownership_source is missing") for p in problems)


def test_validator_reports_bad_values() -> None:
    data = _doc(
        _entry("CAT-A", country="XX"),
        _entry("CAT-A"),
        _entry("CAT-B", category="cloud"),
        _entry("CAT-C", lei="INR2EJN1ERAN0W5ZP975"),
        _entry("cat-lower"),
        _entry("CAT-E", ownership_changes=[{"date": "2025-13", "event": "x", "source": "ftp://x",
                                           "status": "rumoured", "new_parent": "CAT-GHOST"}]),
        _entry("CAT-F", eu_subsidiaries=["CAT-B"]),
    )
    problems = validate_catalogue_data(data)
    text = "\n".join(problems)
    assert "CAT-A: country 'XX' is not an ISO 3166-1 alpha-2 code." in problems
    assert "CAT-A: id is used twice" in text
    assert "CAT-B: category 'cloud'" in text
    assert "CAT-C: lei" in text
    assert "id 'cat-lower'" in text
    assert "ownership_changes[1]: date" in text
    assert "ownership_changes[1]: source" in text
    assert "status 'rumoured'" in text
    assert "new_parent 'CAT-GHOST' is not in the catalogue" in text
    assert "CAT-F: lists CAT-B as an EU subsidiary" in text


def test_validator_accepts_a_clean_inline_catalogue() -> None:
    data = _doc(_entry("CAT-TOP", country="US"), _entry("CAT-MID", "CAT-TOP", eu_subsidiaries=["CAT-LEAF"]),
                _entry("CAT-LEAF", "CAT-MID", co_owners=["CAT-TOP"]))
    assert validate_catalogue_data(data) == []
    cat = parse_catalogue(data)
    assert cat.chain("CAT-LEAF") == ["CAT-LEAF", "CAT-MID", "CAT-TOP"]
    assert cat.ultimate_parent("CAT-LEAF").country == "US"


def test_validator_rejects_shipped_catalogue_with_injected_cycle(raw: dict) -> None:
    data = copy.deepcopy(raw)
    by_id = {e["id"]: e for e in data["suppliers"]}
    by_id["CAT-DIGITAL-REALTY"]["parent"] = "CAT-INTERXION"
    problems = validate_catalogue_data(data)
    assert "Ownership cycle: CAT-DIGITAL-REALTY -> CAT-INTERXION -> CAT-DIGITAL-REALTY." in problems


def test_unquoted_yaml_dates_are_accepted() -> None:
    text = """
catalogue: {version: t, compiled: 2026-11-28, note: n}
suppliers:
  - id: CAT-A
    name: A
    country: NL
    category: saas
    parent: null
    ownership_source: {url: "https://example.org", checked: 2024-12-31}
    country_source: {url: "https://example.org", checked: 2024}
"""
    cat = parse_catalogue(yaml.safe_load(text))
    assert cat.get("CAT-A").ownership_source.checked == "2024-12-31"
    assert cat.get("CAT-A").country_source.checked == "2024"
    assert cat.compiled == "2026-11-28"


def test_module_doctests_pass() -> None:
    result = doctest.testmod(catalogue_module)
    assert result.attempted > 0
    assert result.failed == 0


# ---------------------------------------------------------------- ownership verification (issue 9)

VERIFIED_DAY = "2026-11-29"
FUNDS = ["KKR", "Apax", "Warburg Pincus", "Hg", "TA Associates", "Thoma Bravo", "Advent International", "EQT",
         "Permira", "Carlyle", "Clearlake", "Vista Equity Partners", "Hellman & Friedman"]


def test_at_least_300_entries(cat: Catalogue) -> None:
    assert len(cat) >= 300


def test_verified_entries_carry_a_found_source_and_a_past_day(raw: dict) -> None:
    verified = [e for e in raw["suppliers"] if "verified" in (e.get("ownership_source") or {})]
    assert len(verified) >= 5
    for e in verified:
        src = e["ownership_source"]
        assert src["url"].startswith(("https://", "http://")), e["id"]
        day = date.fromisoformat(str(src["verified"]))
        assert day <= date.today(), e["id"]
        assert not e.get("owner_unknown"), e["id"]


def test_funds_are_entries_of_their_own(cat: Catalogue) -> None:
    for name in FUNDS:
        hits = cat.lookup(name)
        assert [s.category for s in hits] == ["investor"], name


def test_unknown_and_unverified_owners_are_never_reported_verified(cat: Catalogue) -> None:
    for s in cat:
        if s.owner_unknown or not s.ownership_verified:
            assert s.ownership_status == "unknown", s.id
            assert s in cat.unverified
        else:
            assert s.ownership_status == "verified", s.id
    assert len(cat.unverified) == sum(1 for s in cat if not s.ownership_verified or s.owner_unknown)
    assert 0 < len(cat.unverified) < len(cat)


def test_owner_unknown_entries_have_no_parent_and_no_verification(cat: Catalogue) -> None:
    unknown = [s for s in cat if s.owner_unknown]
    assert unknown
    assert all(s.parent is None and s.ownership_verified is None for s in unknown)


def test_exact_is_controlled_by_kkr_us_since_2019(cat: Catalogue) -> None:
    exact = cat.get("CAT-EXACT")
    assert exact.parent == "CAT-KKR" and cat.get("CAT-KKR").country == "US"
    assert exact.ownership_status == "verified" and exact.ownership_verified == VERIFIED_DAY
    assert any(c.date == "2019" and c.new_parent == "CAT-KKR" for c in exact.ownership_changes)


def test_odido_has_two_fund_co_owners_and_no_controlling_parent(cat: Catalogue) -> None:
    odido = cat.get("CAT-ODIDO")
    assert odido.parent is None
    owners = {c.id: cat.get(c.id) for c in odido.co_owners}
    assert {i: e.country for i, e in owners.items()} == {"CAT-APAX": "GB", "CAT-WARBURG-PINCUS": "US"}
    assert all(e.category == "investor" for e in owners.values())


def test_pinkroccade_owner_is_unknown_unless_verified(cat: Catalogue) -> None:
    prlg = cat.get("CAT-PINKROCCADE-LG")
    if prlg.ownership_verified is None:
        assert prlg.owner_unknown and prlg.parent is None and prlg.ownership_status == "unknown"
    else:  # pragma: no cover - only once a source is found
        assert prlg.parent is not None


def test_centric_2024_owners_are_recorded_and_verified(cat: Catalogue) -> None:
    centric = cat.get("CAT-CENTRIC")
    assert centric.ownership_status == "verified"
    assert [(c.id, cat.get(c.id).country) for c in centric.co_owners] == [("CAT-IMKER-CAPITAL", "NL")]
    assert cat.get("CAT-IMKER-CAPITAL").ownership_status == "verified"
    assert any(c.date.startswith("2024") and c.status == "completed" for c in centric.ownership_changes)


def test_vodafoneziggo_is_a_verified_50_50_joint_venture_with_an_announced_buy_out(cat: Catalogue) -> None:
    vz = cat.get("CAT-VODAFONEZIGGO")
    assert sorted((c.id, c.share) for c in vz.co_owners) == [("CAT-LIBERTY-GLOBAL", 50.0), ("CAT-VODAFONE", 50.0)]
    announced = [c for c in vz.ownership_changes if c.status == "announced"]
    assert [(c.date, c.proposed_parent) for c in announced] == [("2026-02", "CAT-LIBERTY-GLOBAL")]
    assert vz.parent is None  # announced, not completed


def test_headquarters_and_listing_differ_from_registration_where_recorded(cat: Catalogue) -> None:
    alibaba = cat.get("CAT-ALIBABA")
    assert (alibaba.country, alibaba.hq_country, alibaba.listing_country) == ("KY", "HK", "US")
    assert (cat.get("CAT-PERMIRA").country, cat.get("CAT-PERMIRA").hq_country) == ("GG", "GB")
    assert cat.get("CAT-LIBERTY-GLOBAL").listing_country == "US"
    for s in cat:
        assert s.hq_country != s.country and s.listing_country != s.country, s.id


def test_validator_checks_verification_dates_and_unknown_owners() -> None:
    future = _entry("CAT-A")
    future["ownership_source"] = {"url": "https://example.org", "checked": "2024", "verified": "2999-01-01"}
    month = _entry("CAT-B")
    month["ownership_source"] = {"url": "https://example.org", "checked": "2024", "verified": "2026-11"}
    unknown = _entry("CAT-C", "CAT-A", owner_unknown=True)
    unknown["ownership_source"] = {"url": "https://example.org", "checked": "2024", "verified": "2026-11-29"}
    problems = validate_catalogue_data(_doc(future, month, unknown), today=date(2026, 11, 29))
    assert "CAT-A.ownership_source.verified 2999-01-01 is in the future." in problems
    assert any(p.startswith("CAT-B.ownership_source.verified must be the date of the check") for p in problems)
    assert "CAT-C: owner_unknown is true but a parent is given; leave one of them out." in problems
    assert any(p.startswith("CAT-C: owner_unknown is true, so ownership_source.verified must be left out") for p in problems)
    assert len(problems) == 4


def test_validator_checks_co_owners_and_extra_countries() -> None:
    data = _doc(_entry("CAT-A"), _entry("CAT-B"),
                _entry("CAT-C", co_owners=[{"id": "CAT-A", "share": 60}, {"id": "CAT-B", "share": 50}]),
                _entry("CAT-D", co_owners=[{"id": "CAT-A", "share": 0}, "CAT-D"], hq_country="XX"),
                _entry("CAT-E", co_owners=[{"id": "CAT-A", "portion": 5}], listing_country="US"))
    problems = validate_catalogue_data(data)
    assert "CAT-C: the co-owners' shares add up to more than 100%." in problems
    assert any(p.startswith("CAT-D: co_owners entry CAT-A has share 0") for p in problems)
    assert "CAT-D: a co-owner cannot be the entry itself or its controlling parent." in problems
    assert "CAT-D: hq_country 'XX' is not an ISO 3166-1 alpha-2 code." in problems
    assert "CAT-E: co_owners entry CAT-A has unknown key(s) portion." in problems
    assert len(problems) == 5


def test_co_owners_accept_plain_ids_and_shares() -> None:
    data = _doc(_entry("CAT-A"), _entry("CAT-B"), _entry("CAT-C", co_owners=["CAT-A", {"id": "CAT-B", "share": 25}]))
    cat = parse_catalogue(data)
    assert [(c.id, c.share) for c in cat.get("CAT-C").co_owners] == [("CAT-A", None), ("CAT-B", 25.0)]
    assert cat.get("CAT-C").ownership_status == "unknown"
