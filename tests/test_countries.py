"""Reference facts about jurisdictions (ontology/reference/countries.yaml): every fact has a source and a date checked."""

from __future__ import annotations

import re

import pytest

from sovmap.ontology.countries import country, reference

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https://\S+$")


def sourced(fact: dict) -> bool:
    src = fact.get("source") or {}
    return bool(URL.match(str(src.get("url", "")))) and bool(DATE.match(str(src.get("checked", ""))))


ADEQUACY = sorted(reference()["adequacy"].items())
LAWS = [(law["id"], law) for law in reference()["laws"]]


class TestEveryFactHasASource:
    @pytest.mark.parametrize("code,fact", ADEQUACY, ids=[c for c, _ in ADEQUACY])
    def test_adequacy_decision_has_source_url_and_checked_date(self, code, fact):
        assert sourced(fact), code
        assert isinstance(fact.get("verified"), bool), f"{code}: say whether it was verified"
        if not fact["verified"]:
            assert fact.get("note"), f"{code}: an unverified fact says what could not be confirmed"

    @pytest.mark.parametrize("law_id,law", LAWS, ids=[i for i, _ in LAWS])
    def test_law_has_source_url_checked_date_and_reach(self, law_id, law):
        assert sourced(law), law_id
        assert law["reach"].strip() and law["country"] == law["country"].upper()
        assert isinstance(law.get("verified"), bool)
        if not law["verified"]:
            assert law.get("note"), f"{law_id}: an unverified fact says what could not be confirmed"

    def test_further_sources_and_court_rulings_carry_url_and_date_too(self):
        extra = [s for _, f in ADEQUACY + LAWS for s in f.get("more_sources", []) + f.get("status_sources", [])]
        extra += [c for _, f in ADEQUACY for c in f.get("court", [])]
        assert extra
        for s in extra:
            assert sourced(s) or (URL.match(s.get("url", "")) and DATE.match(s.get("checked", ""))), s

    def test_dates_checked_are_not_in_the_future_of_this_release(self):
        dates = [f["source"]["checked"] for _, f in ADEQUACY + LAWS]
        assert max(dates) <= "2026-11-29"


class TestNamedDecisions:
    def test_uk_adequacy_renewed_in_december_2025_including_immigration_data(self):
        gb = reference()["adequacy"]["GB"]
        assert gb["adopted"] == "2025-12-19" and gb["valid_until"] == "2031-12-27"
        assert "2021/1772" in gb["decision"] and "immigration" in gb["scope"]
        assert "except" not in gb["scope"]  # the 2021 immigration exemption no longer limits it

    def test_brazil_adequacy_of_january_2026(self):
        br = country("BR")
        assert br.adequacy and not br.dpf and "(EU) 2026/179" in br.adequacy_decision
        assert reference()["adequacy"]["BR"]["adopted"].startswith("2026-01")

    def test_data_privacy_framework_act_number_and_general_court_judgment(self):
        us = reference()["adequacy"]["US"]
        assert us["dpf"] is True and "(EU) 2023/1795" in us["decision"]
        judgment = next(c for c in us["court"] if c["case"].startswith("T-553/23"))
        assert judgment["date"] == "2025-09-03" and "dismissed" in judgment["outcome"]
        assert judgment["ecli"] == "ECLI:EU:T:2025:831"

    def test_fisa_702_status_after_april_2026_is_marked_unverified(self):
        fisa = next(law for law in country("US").laws if law.id == "US-FISA-702")
        assert "RISAA" in fisa.reach + fisa.status and "April 2026" in fisa.status
        assert fisa.verified is False and "not verified" in fisa.status

    @pytest.mark.parametrize("code,law_id", [("GB", "GB-IPA"), ("IN", "IN-IT-ACT-69"), ("RU", "RU-SORM-YAROVAYA"),
                                             ("CN", "CN-DSL"), ("CN", "CN-NIL-ART7"), ("US", "US-CLOUD-ACT")])
    def test_laws_with_extraterritorial_reach_are_listed_per_country(self, code, law_id):
        laws = {law.id: law for law in country(code).laws}
        assert law_id in laws and laws[law_id].source_url.startswith("https://")

    def test_uk_law_names_the_2024_amendments(self):
        ipa = next(law for law in country("GB").laws if law.id == "GB-IPA")
        assert "2024" in ipa.name and "notification" in ipa.reach
