"""The CLI's text output in English or Dutch (``--lang``, or ``SOVMAP_LANG``).

Our own sentences live in :data:`TEXTS` (key → Dutch, English). Words the
dashboard also shows (yes/no, European, kinds, severities, ...) are not
written again: :func:`t` takes them from the dashboard's table, and labels of
kinds, columns, relations and values come from the ontology through the same
helpers the dashboard uses (:mod:`sovmap.dashboard.i18n`, which imports no
Streamlit). ``--json`` output is the same in every language.

Examples
--------
>>> t("fails", "nl"), t("no", "nl")
('VALT STIL', 'nee')
>>> level_word("criticality", "vital", "nl"), counts_text(["high", None, "vital", "high"], "criticality", "nl")
('vitaal', '1 vitaal, 2 hoog, 1 zonder waarde')
"""

from __future__ import annotations

import re
from collections import Counter
from enum import Enum
from typing import Annotated, Iterable

import typer

from sovmap.dashboard.i18n import TEXTS as DASHBOARD_TEXTS
from sovmap.dashboard.i18n import column_label, kind_label, kinds_label, relation_label, value_label, yes_no

__all__ = ["OutLang", "TextLangOpt", "TEXTS", "SHARED", "t", "level_word", "counts_text", "kind_label", "kinds_label",
           "column_label", "relation_label", "value_label", "yes_no", "european_word", "severity_word",
           "scenario_text", "note_text", "current_lang", "forget_lang"]


class OutLang(str, Enum):
    en = "en"
    nl = "nl"


_CURRENT = {"lang": "en"}  # the --lang of the command being run, for messages printed far from its options


def _remember_lang(value: OutLang | str | None) -> OutLang | str | None:
    _CURRENT["lang"] = str(getattr(value, "value", value) or "en")
    return value


def current_lang() -> str:
    """The ``--lang`` of the command being run; "en" for a command without one (the app resets it per command)."""
    return _CURRENT["lang"]


def forget_lang() -> None:
    """Back to English: the app's callback calls this before each command's options are read."""
    _CURRENT["lang"] = "en"


TextLangOpt = Annotated[OutLang, typer.Option(
    "--lang", envvar="SOVMAP_LANG", case_sensitive=False, callback=_remember_lang,
    help="Language of the text output: en (English) or nl (Dutch); also SOVMAP_LANG. --json is the same in both.")]

# The dashboard's words that the CLI shows too: they read the same in both (tests/test_cli_lang.py checks it).
SHARED = ("yes", "no", "unknown", "none", "european", "non_european", "ownership_unknown", "col.id", "col.name",
          "col.kind", "col.why", "col.country", "col.countries", "col.level", "severity.error", "severity.warning",
          "problem.line", "problem.column", "graph.control.eu", "impact.table.failed", "gaps.col.severity",
          *(f"kinds.{k}" for k in ("organisation", "process", "dataset", "system", "location", "supplier")))

# key: (Dutch, English). Placeholders in {braces} are filled by t(key, lang, **values).
TEXTS: dict[str, tuple[str, str]] = {
    "and_more": ("en nog {n}", "and {n} more"),
    "unrated": ("zonder waarde", "unrated"),
    "details_hint": ("(Samenvatting. `sovmap {command} ... --details` toont de volledige lijsten; `--json` geeft alles.)",
                     "(Summary. `sovmap {command} ... --details` prints the full lists; `--json` gives everything.)"),
    # --- impact -------------------------------------------------------------------
    "scenario": ("Scenario: weg: {what}", "Scenario: cut {what}"),
    "scenario.suppliers": ("leverancier {ids} met dochterbedrijven", "supplier {ids} and their subsidiaries"),
    "scenario.only_entity": ("leverancier {ids} (alleen deze bedrijven)", "supplier {ids} (only these entities)"),
    "scenario.countries": ("juridisch bereik van {ids}", "legal reach of {ids}"),
    "scenario.locations": ("locatie {ids}", "location {ids}"),
    "scenario.systems": ("systeem {ids}", "system {ids}"),
    "scenario.nothing": ("niets", "nothing"),
    "whatif.impact": ("WAT ALS {acquire}: {n} meer vallen stil", "WHAT IF {acquire}: {n} more fail"),
    "whatif.no_longer": ("{n} vallen niet meer stil", "{n} no longer fail"),
    "cut.list": ("Weg: {ids}", "Cut: {ids}"),
    "cut.count": ("Weg: {n} leverancier(s), locatie(s) of systeem/systemen: {ids}",
                  "Cut: {n} supplier(s), location(s) or system(s): {ids}"),
    "fails": ("VALT STIL", "FAILS (STOPS WORKING)"),
    "degraded": ("WERKT NOG, MET MINDER ALTERNATIEVEN", "DEGRADED (STILL WORKS, LOST ALTERNATIVES)"),
    "impact.done": ("{failed} vallen stil, {degraded} werken nog met minder alternatieven.",
                    "{failed} failed, {degraded} degraded."),
    "say_what": ("Zeg wat wegvalt: --supplier ID, --country CC, --location ID of --system ID.",
                 "Say what to cut: --supplier ID, --country CC, --location ID or --system ID."),
    # --- spof ------------------------------------------------------------------------
    "spof.none": ("geen enkele leveranciersgroep", "no single supplier group"),
    "spof.n": ("{n} single point(s) of failure", "{n} single point(s) of failure"),
    "spof.headline": ("{hit} van de {total} processen ({levels}) hebben {what}.",
                      "{hit} of {total} processes ({levels}) have {what}."),
    "spof.what": ("een single point of failure", "single point(s) of failure"),
    "spof.what_non_eu": ("een niet-Europese single point of failure", "non-European single point(s) of failure"),
    "spof.groups": ("LEVERANCIERSGROEPEN die alleen de meeste processen stilleggen ({n} groepen)",
                    "SUPPLIER GROUPS that alone break the most processes ({n} groups)"),
    "spof.group_line": ("{n} proces(sen)", "{n} process(es)"),
    "spof.worst": ("PROCESSEN met de meeste single points of failure die niet als Europees bekend zijn",
                   "PROCESSES with the most single points of failure not known to be European"),
    "spof.not_european": ("{n} niet als Europees bekend: {ids}", "{n} not known to be European: {ids}"),
    "spof.all_european": ("alle Europees", "all European"),
    "spof.whatif": ("WAT ALS {acquire}: {n} proces(sen) krijgen een nieuwe niet-Europese single point of failure",
                    "WHAT IF {acquire}: {n} process(es) get a new non-European single point of failure"),
    "spof.done": ("{n} van de {total} processen hebben een single point of failure; {ne} een niet-Europese",
                  "{n} of {total} processes have a single point of failure; {ne} a non-European one"),
    "spof.done_vh": ("{n} van de {total} vitale/hoge processen hebben een single point of failure; {ne} een "
                     "niet-Europese",
                     "{n} of {total} vital/high processes have a single point of failure; {ne} a non-European one"),
    "spof.blind": ("; hangt af van {n} systeem/systemen zonder leverancier, beheerder of locatie ({ids}): de lijst "
                   "kan onvolledig zijn",
                   "; depends on {n} system(s) without supplier, operator or location ({ids}): the list may be "
                   "incomplete"),
    "spof.blind_summary": ("{n} van de {total} processen hangen af van systemen zonder leverancier, beheerder of "
                           "locatie: hun single points of failure kunnen onvolledig zijn (geen vrijbrief). "
                           "`--details` noemt die systemen.",
                           "{n} of {total} processes depend on systems without supplier, operator or location: their "
                           "single points of failure may be incomplete (not an all-clear). `--details` names those "
                           "systems."),
    "spof.bare": ("; hangt in de inventaris nergens van af: er valt niets over te zeggen",
                  "; depends on nothing in the inventory: nothing can be said about it"),
    "spof.bare_summary": ("{n} van de {total} processen hangen in de inventaris nergens van af: over hen zegt deze "
                          "uitkomst niets. Leg vast welke systemen en gegevens ze gebruiken.",
                          "{n} of {total} processes depend on nothing in the inventory: this answer says nothing about "
                          "them. Record which systems and data they use."),
    "spof.headline_none": ("Geen vitale of hoge processen om na te gaan.", "No vital or high processes to check."),
    "spof.headline_none_all": ("Geen processen om na te gaan.", "No processes to check."),
    "no_criticality": ("geen kritikaliteit", "no criticality"),
    "derived": ("afgeleid", "derived"),
    "spof.done_unknown": ("; {nu} een van onbekend eigendom (niet als Europees geteld).",
                          "; {nu} one of unknown ownership (not counted as European)."),
    # --- rank ------------------------------------------------------------------------------
    "rank.group": ("groep", "group"),
    "rank.score": ("score", "score"),
    "rank.proc": ("proc", "proc"),
    "rank.vh": ("v/h", "v/h"),
    "rank.sys": ("sys", "sys"),
    "rank.data": ("gegev", "data"),
    "rank.eu": ("EU", "EU"),
    "rank.more": ("... en nog {n} groep(en).", "... and {n} more group(s)."),
    "rank.legend": ("proc: processen die stilvallen als de groep wegvalt; v/h: waarvan vitaal of hoog; sys: systemen; "
                    "gegev: gegevensverzamelingen; EU: ja, NEE, of ? (eigendom onbekend).",
                    "proc: processes that fail if the group is cut; v/h: of which vital or high; sys: systems; "
                    "data: data sets; EU: yes, NO, or ? (ownership unknown)."),
    "rank.unknown": ("{n} groep(en) van onbekend eigendom (EU '?'): niet als Europees geteld; zie `sovmap spof` "
                     "voor het waarom.",
                     "{n} group(s) of unknown ownership (EU '?'): not counted as European; see `sovmap spof` for why."),
    # --- assess ------------------------------------------------------------------------
    "assess.title": ("Soevereiniteitsbeoordeling; beleid: {policy}", "Sovereignty assessment; policy: {policy}"),
    "assess.short.in_control": ("wel", "in"),
    "assess.short.partial": ("deels", "part"),
    "assess.short.not_in_control": ("niet", "not"),
    "assess.short.unknown": ("?", "?"),
    "assess.incomplete": ("Onvolledig (deels onbekend)", "Incomplete (some part unknown)"),
    "assess.steps": ("EERSTE STAPPEN ({shown} van {total} verschillende stappen), naar de ernst van de "
                     "tekortkomingen die ze oplossen",
                     "FIRST STEPS ({shown} of {total} distinct steps), by the severity of the gaps they fix"),
    "assess.step_fixes": ("deel van de oplossing voor {n} tekortkoming(en), ernst {severity}",
                          "part of the fix for {n} gap(s), severity {severity}"),
    "assess.step_helps": ("; helpt bij nog {n}", "; helps with {n} more"),
    "assess.gaps": ("TEKORTKOMINGEN ({total}{shown})", "GAPS ({total}{shown})"),
    "assess.gaps_most": (", de {n} ernstigste", ", the {n} most severe"),
    "assess.gaps_first": (", de eerste {n}", ", the first {n}"),
    "assess.gaps_legend": (", ernstigste eerst.  - deel van de oplossing   ~ helpt (beperken, tussenoplossing, uitzoeken)",
                           ", most severe first.  - part of the fix   ~ helps (mitigation, interim, find out)"),
    "assess.requires": ("{dimension}: vereist {required}, is {actual} (ernst {severity})",
                        "{dimension}: requires {required}, is {actual} (severity {severity})"),
    "assess.required_by": ("vereist door", "required by"),
    "assess.why": ("waarom:", "why:"),
    "assess.do": ("doe:", "do:"),
    "assess.repeated": ("en de redenen en stappen voor dit onderdeel staan onder tekortkoming {gaps}",
                        "and the reasons and steps for this {kind} given under gap {gaps}"),
    "assess.and_more": ("en nog {n}", "and {n} more"),
    "assess.whatif": ("WAT ALS {acquire}: {n} niveau(s) veranderen (de tekortkomingen hieronder zijn na de verkoop)",
                      "WHAT IF {acquire}: {n} level(s) change (the gaps below are after the sale)"),
    "assess.new_gap": (" (nieuwe tekortkoming)", " (new gap)"),
    "assess.done": ("{n} onderdelen beoordeeld tegen {policy}: {total} tekortkoming(en)",
                    "{n} items assessed against {policy}: {total} gap(s)"),
    # --- validate, list, suppliers list ---------------------------------------------------
    "validate.valid": ("{path}: geldig: {items} onderdelen, {relations} relaties; {warnings} waarschuwing(en).",
                       "{path}: valid: {items} items, {relations} relations; {warnings} warning(s)."),
    "validate.invalid": ("{path}: {errors} fout(en), {warnings} waarschuwing(en); de inventaris is niet geladen.",
                         "{path}: {errors} error(s), {warnings} warning(s); the inventory was not loaded."),
    "list.count": ("{n} {kind}.", "{n} {kind}(s)."),
    "suppliers.group": ("groep", "group"),
    "suppliers.vh_fail": ("v/h valt stil", "v/h fail"),
    "suppliers.vh_degraded": ("v/h minder alternatieven", "v/h degraded"),
    "suppliers.legend": ("v/h valt stil: vitale en hoge processen die stilvallen als de leverancier (met wat hij bezit) "
                         "wegvalt; v/h minder alternatieven: die nog werken maar een alternatief verliezen.",
                         "v/h fail: vital and high processes that stop if the supplier (and what it owns) cuts access; "
                         "v/h degraded: those that still work but lose an alternative."),
    "suppliers.done": ("{n} leveranciers; {unknown} van onbekend eigendom (niet als Europees geteld).",
                       "{n} suppliers; {unknown} of unknown ownership (not counted as European)."),
    # --- plan -------------------------------------------------------------------------
    "plan.header": ("Routekaart vanaf {today}, {room} per jaar (alternatieven aangenomen in {home}: een "
                    "planningsaanname)",
                    "Roadmap from {today}, {room} a year (what-if alternatives placed in {home}: a planning "
                    "assumption)"),
    "plan.capacity": ("inspanning {n}", "capacity {n}"),
    "plan.budget": ("budget {n}", "budget {n}"),
    "plan.now": ("Risico nu {risk}; vitale/hoge processen zonder tekortkoming: {done} van {of}",
                 "Risk now {risk}; vital/high processes without a gap: {done} of {of}"),
    "plan.phase": ("{period}: {n} stap(pen), risico daarna {risk}, vitale/hoge processen zonder tekortkoming {done} "
                   "van {of}",
                   "{period}: {n} action(s), risk after {risk}, vital/high processes without a gap {done} of {of}"),
    "plan.action": ("{action} ({unit} {effort}, neemt {removed} weg)", "{action} ({unit} {effort}, removes {removed})"),
    "plan.unit.effort": ("inspanning", "effort"),
    "plan.unit.money": ("kosten", "cost"),
    "plan.waits": (" — wacht op {contracts} (opzeggen vóór {date})", " — waits for {contracts} (notice by {date})"),
    "plan.renews_first": ("; {contracts} verlengt eerst (opzegdatum {date} is dan voorbij)",
                          "; {contracts} renews first (its notice date {date} has passed by then)"),
    "plan.starts": (", start {date}", ", starts {date}"),
    "plan.more": ("  ... en nog {n}", "  ... and {n} more"),
    "plan.not_scheduled": ("Niet ingepland ({n}):", "Not scheduled ({n}):"),
    "plan.notice_by": (", opzeggen vóór {date}", ", notice by {date}"),
    "plan.done": ("{n} stap(pen) gepland over {periods} {per} met {room} per jaar; {left} voor later.",
                  "{n} action(s) planned over {periods} {per} at {room} a year; {left} left for later."),
    "plan.per.year": ("jaar", "year(s)"),
    "plan.per.quarter": ("kwarta(a)l(en)", "quarter(s)"),
    # --- usage and load errors (sovmap/cli/common.py) -----------------------------------------
    "usage.path_and_demo": ("Geef PATH of --demo, niet allebei.", "Give either PATH or --demo, not both."),
    "usage.no_path": ("Geef het pad (PATH) van de inventaris (een map, .zip of .xlsx), of --demo voor de meegeleverde "
                      "demo.", "Give the inventory PATH (a folder, .zip or .xlsx), or --demo for the bundled demo."),
    "usage.one_file": ("{path} is één bestand van een inventaris; PATH is de map met al haar CSV-bestanden "
                       "(systems.csv, suppliers.csv, ...). Gebruik: {folder}",
                       "{path} is one file of an inventory; PATH is the folder that holds all its CSV files "
                       "(systems.csv, suppliers.csv, ...). Use: {folder}"),
    "usage.neo4j_source": ("Geef met --neo4j ook --source NAAM (zie `sovmap neo4j sources`) en geen PATH.",
                           "With --neo4j, give --source NAME (see `sovmap neo4j sources`) and no PATH."),
    "load.errors": ("{path}: {n} fout(en); er is niets {verb}. `sovmap validate {path}` geeft het volledige verslag.",
                    "{path}: {n} error(s); nothing was {verb}. Run `sovmap validate {path}` for the full report."),
    "load.verb.loaded": ("geladen", "loaded"),
    "load.verb.matched": ("vergeleken", "matched"),
    "load.verb.refreshed": ("bijgewerkt", "refreshed"),
    "load.one_file": ("PATH is meestal de map met alle CSV-bestanden van de inventaris, niet één ervan.",
                      "PATH is usually the folder that holds all the inventory's CSV files, not one of them."),
    # --- show -------------------------------------------------------------------------------
    "show.counts": ("Onderdelen per soort", "Items per kind"),
    "show.by_country": ("Leveranciers per land van registratie", "Suppliers by country of registration"),
    "show.eea": ("EU/EER", "EU/EEA"),
    "show.non_eea": ("buiten de EU/EER", "non-EU/EEA"),
    "show.country_unknown": ("land onbekend: na te gaan", "country unknown: to check"),
    "show.chains": ("Eigendomsketens die buiten de EU/EER komen", "Ownership chains that reach outside the EU/EEA"),
    "show.none": ("geen", "none"),
    "show.unknown": ("Eigendom onbekend (nooit als Europees geteld; zie docs/ownership.md)",
                     "Ownership unknown (never counted as European; see docs/ownership.md)"),
}

# The fixed words of the graph's why-notes (graph/impact.py supplier_note and chain_text, graph/ownership.py
# reach_note, path_text and verdict reasons), which the graph writes in English: their Dutch, in this order.
NOTE_WORDS_NL: tuple[tuple[str, str], ...] = (
    (r"\bowned by ", "eigendom van "),
    (r"\(co-owner, share unknown\)", "(mede-eigenaar, aandeel onbekend)"),
    (r"\bco-owner\b", "mede-eigenaar"),
    (r"\bheadquarters ", "hoofdkantoor "),
    (r"\blisted ", "beursgenoteerd "),
    (r"\bownership unknown: ", "eigendom onbekend: "),
    (r"\bownership of (\S+) unknown", r"eigendom van \1 onbekend"),
    (r"\bcountry of (\S+) unknown", r"land van \1 onbekend"),
    (r"… ([\d,.]+) more …", r"… nog \1 …"),
    (r"… \(([\d,.]+) more\)", r"… (nog \1)"),
)


def t(key: str, lang: str, **values: object) -> str:
    """Our text ``key`` in ``lang`` ("nl" or "en"), with ``{placeholders}`` filled in; shared words from the dashboard."""
    nl, en = TEXTS[key] if key in TEXTS else DASHBOARD_TEXTS[key]
    text = nl if lang == "nl" else en
    return text.format(**values) if values else text


def note_text(text: str, lang: str) -> str:
    """A why-text or ownership reason from the graph (English words, ids, country codes) in ``lang``.

    >>> note_text("P-WEB → S-NORD (owned by S-KYN, US)", "nl")
    'P-WEB → S-NORD (eigendom van S-KYN, US)'
    >>> note_text("S-ODIDO → S-APAX (co-owner 50%): GB; ownership of S-X unknown", "nl")
    'S-ODIDO → S-APAX (mede-eigenaar 50%): GB; eigendom van S-X onbekend'
    """
    if lang != "nl":
        return text
    for pattern, dutch in NOTE_WORDS_NL:
        text = re.sub(pattern, dutch, text)
    return text


_LEVEL_ENUMS = ("criticality", "classification", "personal_data")


def level_word(enum_id: str | None, value: str | None, lang: str) -> str:
    """A listed value in ``lang`` (the ontology's label); with no enum, the level found in any of the level lists."""
    if value in (None, ""):
        return ""
    for e in ([enum_id] if enum_id else _LEVEL_ENUMS):
        label = value_label(e, value, lang)
        if label != value or lang == "en":
            return label
    return str(value)


def counts_text(values: Iterable[str | None], enum_id: str | None, lang: str, order: Iterable[str] = ()) -> str:
    """``n value`` pairs in ``lang``, the values in ``order`` (or the enum's order) first; None counts as unrated."""
    c = Counter(v or "" for v in values)
    order = list(order)
    if not order and enum_id:
        from sovmap.ontology.vocab import vocabulary

        order = vocabulary().enum(enum_id).accepted()
    keys = [k for k in order if c[k]] + sorted(k for k in c if k and k not in set(order))
    parts = [f"{c[k]} {level_word(enum_id, k, lang)}" for k in keys]
    if c[""]:
        parts.append(f"{c['']} {t('unrated', lang)}")
    return ", ".join(parts)


def european_word(european: bool | None, lang: str) -> str:
    """European / NON-EUROPEAN / OWNERSHIP UNKNOWN: the dashboard's words, the worrying ones in capitals."""
    if european is True:
        return t("graph.control.eu", lang)
    return t("non_european" if european is False else "ownership_unknown", lang).upper()


def severity_word(severity: str, lang: str) -> str:
    """ERROR / WARNING (FOUT / WAARSCHUWING), the dashboard's words in capitals."""
    key = f"severity.{severity}"
    return (t(key, lang) if key in DASHBOARD_TEXTS else severity).upper()


def scenario_text(suppliers: list[str], countries: list[str], locations: list[str], systems: list[str],
                  include_subsidiaries: bool, lang: str) -> str:
    """What a scenario cuts, in ``lang`` (the English reads as :meth:`Scenario.describe`)."""
    parts = []
    if suppliers:
        parts.append(t("scenario.suppliers" if include_subsidiaries else "scenario.only_entity", lang,
                       ids=", ".join(suppliers)))
    if countries:
        parts.append(t("scenario.countries", lang, ids=", ".join(c.upper() for c in countries)))
    if locations:
        parts.append(t("scenario.locations", lang, ids=", ".join(locations)))
    if systems:
        parts.append(t("scenario.systems", lang, ids=", ".join(systems)))
    return "; ".join(parts) or t("scenario.nothing", lang)
