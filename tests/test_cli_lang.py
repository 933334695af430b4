"""`--lang nl` (or SOVMAP_LANG=nl): Dutch text output with the dashboard's words; English by default; JSON the same."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from typer.testing import CliRunner

from sovmap.cli import app, texts
from sovmap.dashboard import i18n

CLI_ONLY = ("assess.title", "fails", "rank.legend", "suppliers.vh_fail")


@lru_cache(maxsize=None)
def run(*args: str, env_lang: str | None = None):
    env = {"SOVMAP_LANG": env_lang} if env_lang else {}
    r = CliRunner().invoke(app, list(args), env=env)
    return r


def ok(*args: str, env_lang: str | None = None):
    r = run(*args, env_lang=env_lang)
    assert r.exit_code == 0, r.output
    return r


def test_shared_words_read_as_in_the_dashboard():
    for key in texts.SHARED:
        for lang in ("nl", "en"):
            assert texts.t(key, lang) == i18n.t(key, lang), (key, lang)
    # the CLI never writes a dashboard word again, differently
    for key in set(texts.TEXTS) & set(i18n.TEXTS):
        assert texts.TEXTS[key] == i18n.TEXTS[key], key
    # labels of kinds and values are the dashboard's own functions over the ontology, not copies
    assert texts.kinds_label is i18n.kinds_label and texts.value_label is i18n.value_label
    assert texts.kinds_label("dataset", "nl") == "Gegevensverzamelingen"
    for key in CLI_ONLY:  # our own sentences differ between the languages
        nl, en = texts.TEXTS[key]
        assert nl != en, key


def test_impact_in_dutch():
    nl = ok("impact", "--demo", "--country", "US", "--lang", "nl")
    en = ok("impact", "--demo", "--country", "US")
    assert nl.stdout.startswith("Scenario: weg: juridisch bereik van US")
    n_nl = re.search(r"^VALT STIL \((\d+)\)$", nl.stdout, re.M)
    n_en = re.search(r"^FAILS \(STOPS WORKING\) \((\d+)\)$", en.stdout, re.M)
    assert n_nl and n_en and n_nl.group(1) == n_en.group(1)
    assert re.search(r"^  Processen \d+ \(\d+ vitaal, \d+ hoog", nl.stdout, re.M)
    assert re.search(r"^  Gegevensverzamelingen \d+ \(", nl.stdout, re.M)
    assert "FAILS" not in nl.stdout and " vital," not in nl.stdout and "and " not in nl.stdout
    assert "Gebaseerd op:" in nl.output and "Rests on:" not in nl.output
    details = ok("impact", "--demo", "--country", "US", "--lang", "nl", "--details").stdout
    assert "        waarom: P-BRP →" in details and "why:" not in details


def test_spof_in_dutch():
    nl = ok("spof", "--demo", "--lang", "nl").stdout
    assert re.search(r"^\d+ van de \d+ processen \(\d+ vitaal, \d+ hoog\) hebben een single point of failure\.$",
                     nl, re.M)
    assert "LEVERANCIERSGROEPEN" in nl and "(NIET-EUROPEES: " in nl and "(Europees: NL)" in nl
    assert re.search(r"^  P-\S+ \[(vitaal|hoog)\] ", nl, re.M)
    assert "NON-EUROPEAN" not in nl and "[high]" not in nl
    details = ok("spof", "--demo", "--lang", "nl", "--details").stdout
    assert " via " in details and "        waarom: " in details


def test_rank_in_dutch_spells_out_its_columns():
    nl = ok("rank", "--demo", "--lang", "nl").stdout.splitlines()
    assert nl[0].split() == ["#", "groep", "score", "proc", "v/h", "sys", "gegev", "EU", "landen", "naam"]
    eu = {line.split()[7] for line in nl[1:] if re.match(r"^\s*\d+ ", line)}
    assert eu and eu <= {"ja", "NEE", "?"}
    assert any(line.startswith("proc: processen die stilvallen") and "EU: ja, NEE, of ?" in line for line in nl)


def test_assess_in_dutch():
    nl = ok("assess", "--demo", "--lang", "nl").stdout
    first = nl.splitlines()[2].split()
    assert first == ["geografisch", "juridisch", "operationeel"]
    for kind in ("processen", "gegevensverzamelingen", "systemen"):
        assert re.search(rf"^{kind} +\d+ ", nl, re.M), kind
    for heading in ("EERSTE STAPPEN", "TEKORTKOMINGEN"):
        assert heading in nl
    assert "wel = in controle" in nl and "Vervang leveranciersgroep" in nl
    assert re.search(r"\[proces; vitaal\] operationeel: vereist in controle, is ", nl)
    assert "requires" not in nl and "Replace supplier group" not in nl
    details = ok("assess", "--demo", "--lang", "nl", "--details", "--top", "3").stdout
    assert "vereist door: P-" in details and "kritikaliteit vitaal" in details and "     waarom: " in details


def test_validate_in_dutch(tmp_path, mini_path):
    inv = tmp_path / "inv"
    inv.mkdir()
    for f in mini_path.iterdir():
        text = f.read_text("utf-8")
        if f.name == "suppliers.csv":
            text = text.replace("S-EU,Rijnstroom Software GmbH,DE", "S-EU,Rijnstroom Software GmbH,XX")
        (inv / f.name).write_text(text, "utf-8")
    nl, en = run("validate", str(inv), "--lang", "nl"), run("validate", str(inv))
    assert nl.exit_code == en.exit_code == 1
    assert re.search(r"^FOUT +suppliers\.csv regel \d+, kolom country: \"XX\"", nl.stdout, re.M)
    assert re.search(r"^ERROR +suppliers\.csv line \d+, column country: \"XX\"", en.stdout, re.M)
    assert "1 fout(en), 0 waarschuwing(en); de inventaris is niet geladen." in nl.output


def test_suppliers_list_and_list_in_dutch(mini_path):
    sup = ok("suppliers", "list", str(mini_path), "--lang", "nl")
    head = sup.stdout.splitlines()[0]
    assert head.split()[:5] == ["id", "naam", "land", "groep", "eigendom"] and "v/h valt stil" in head
    assert {line.split()[-3] for line in sup.stdout.splitlines()[1:]} <= {"opgegeven", "geverifieerd", "onbekend"}
    assert "v/h valt stil: vitale en hoge processen" in sup.output
    proc = ok("list", str(mini_path), "--kind", "process", "--lang", "nl").stdout.splitlines()
    assert proc[0].split() == ["id", "naam", "kritikaliteit"]
    values = {line.split()[-1] for line in proc[1:]}
    assert values and values <= {"vitaal", "hoog", "midden", "laag", "-"}
    systems = ok("list", str(mini_path), "--kind", "system", "--lang", "nl").stdout.splitlines()[0]
    assert "geleverd door" in systems and "gehost op" in systems


COMMANDS = [("impact", "--demo", "--supplier", "S-KYN"), ("spof", "--demo"), ("rank", "--demo"), ("assess", "--demo"),
            ("suppliers", "list", "--demo"), ("list", "--demo", "--kind", "dataset")]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_english_by_default_env_and_json(args):
    default = ok(*args)
    assert ok(*args, "--lang", "en").stdout == default.stdout
    assert ok(*args, env_lang="nl").stdout == ok(*args, "--lang", "nl").stdout != default.stdout
    assert ok(*args, "--lang", "nl", "--json").stdout == ok(*args, "--json").stdout  # JSON keys and values: one language
    assert "\x1b" not in default.output + ok(*args, "--lang", "nl").output  # no colour codes: text only


def test_unknown_language_is_a_usage_error():
    r = run("spof", "--demo", "--lang", "de")
    assert r.exit_code == 2 and "--lang" in r.output


def test_rank_columns_stay_aligned_with_long_ids_and_country_lists(tmp_path, mini_path):
    """Every column starts where its heading does, however long a group id or its list of countries."""
    inv = tmp_path / "inv"
    inv.mkdir()
    for f in mini_path.iterdir():
        (inv / f.name).write_text(f.read_text("utf-8"), "utf-8")
    long_id = "S-A-VERY-LONG-SUPPLIER-GROUP-IDENTIFIER"
    subsidiaries = [(f"S-SUB-{c}", c) for c in ("AT", "BE", "CH", "DK", "ES", "FR", "IT", "PL", "SE")]
    with (inv / "suppliers.csv").open("a", encoding="utf-8") as f:
        f.write(f"{long_id},Long Holdings plc,GB,,\n")
        f.writelines(f"{s},Sub {c},{c},{long_id},\n" for s, c in subsidiaries)
    with (inv / "systems.csv").open("a", encoding="utf-8") as f:
        f.writelines(f"SYS-{s},System {s},saas,ORG-ZW,{s},,,,,\n" for s, _ in subsidiaries)
    with (inv / "dependencies.csv").open("a", encoding="utf-8") as f:
        f.writelines(f"P-WEB,SYS-{s},,,\n" for s, _ in subsidiaries)
    for lang in ("en", "nl"):
        out = ok("rank", str(inv), "--details", "--lang", lang).stdout.splitlines()
        head, rows = out[0], [line for line in out[1:] if re.match(r"^\s*\d+ ", line)]
        assert any(long_id in r for r in rows) and any("AT,BE,CH" in r for r in rows)
        names = head.split()
        starts = [head.index(" " + h + " ") + 1 if h != names[-1] else head.rindex(h) for h in names[7:]]
        for r in rows:  # EU, countries and name each begin right under their heading
            assert all(r[s - 1] == " " and r[s] != " " for s in starts), (head, r)


def test_the_cli_gets_the_dashboard_words_without_streamlit():
    """The shared words live in a module that imports no Streamlit, so the CLI stays light and works without it."""
    import subprocess
    import sys

    code = "import sys, sovmap.cli; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


def test_plan_in_dutch():
    nl = ok("plan", "--demo", "--today", "2026-11-29", "--until", "2027", "--lang", "nl")
    en = ok("plan", "--demo", "--today", "2026-11-29", "--until", "2027")
    assert nl.stdout.startswith("Routekaart vanaf 2026-11-29, inspanning 6 per jaar")
    assert en.stdout.startswith("Roadmap from 2026-11-29, capacity 6 a year")
    # the same plan: the same actions, in the same lines
    keys = [re.findall(r"^  (\S+:\S+) ", out.stdout, re.M) for out in (nl, en)]
    assert keys[0] == keys[1] and keys[0]
    assert re.search(r"^2027: \d+ stap\(pen\), risico daarna \d+, vitale/hoge processen zonder tekortkoming \d+ van "
                     r"\d+$", nl.stdout, re.M)
    assert "waits for" not in nl.stdout and "action(s)" not in nl.stdout
    assert "stap(pen) gepland over 2 jaar" in nl.output


# Words the graph writes in English into why-texts and ownership reasons, and the English of `sovmap show`.
GRAPH_ENGLISH = ("owned by", "co-owner", "ownership unknown", "ownership of", "headquarters ", " more …",
                 "Items per kind", "by country of registration", "non-EU/EEA", "Ownership chains")


def english_fragments() -> set[str]:
    """The fixed parts (between placeholders) of every English text the CLI prints that its Dutch does not share."""
    dutch = [nl for nl, _ in texts.TEXTS.values()] + [i18n.TEXTS[k][0] for k in texts.SHARED]
    frags = set(GRAPH_ENGLISH)
    for key in [*texts.TEXTS, *texts.SHARED]:
        nl, en = texts.TEXTS[key] if key in texts.TEXTS else i18n.TEXTS[key]
        for part in re.split(r"\{[^}]*\}", en):
            part = part.strip(" .,:;()'`")
            if len(part) >= 10 and not any(part in d for d in dutch):
                frags.add(part)
    return frags


NL_COMMANDS = [("impact", "--demo", "--supplier", "S-KYN", "--details"), ("impact", "--demo", "--country", "US"),
               ("impact", "--demo", "--country", "US", "--details"),
               ("impact", "--demo", "--country", "CN", "--details"),
               ("spof", "--demo"), ("spof", "--demo", "--details"), ("spof", "--demo", "--all"),
               ("rank", "--demo", "--details"), ("assess", "--demo"), ("assess", "--demo", "--details", "--top", "5"),
               ("plan", "--demo", "--today", "2026-11-29"), ("show", "--demo"), ("validate", "--demo"),
               ("suppliers", "list", "--demo"), ("list", "--demo", "--kind", "system")]


def test_the_known_english_fragments_are_found_in_english_output():
    """The check below can fail: the English output holds many of the fragments it looks for."""
    frags = english_fragments()
    assert len(frags) > 50
    english = "".join(ok(*args).output for args in NL_COMMANDS)
    assert len([f for f in frags if f in english]) >= 25


@pytest.mark.parametrize("args", NL_COMMANDS, ids=lambda a: " ".join(a))
def test_dutch_output_has_no_known_english_sentence_left(args):
    out = ok(*args, "--lang", "nl").output
    left = sorted(f for f in english_fragments() if f in out)
    assert not left, f"English in `sovmap {' '.join(args)} --lang nl`: {left}"


def test_usage_and_load_errors_follow_the_commands_language(tmp_path, mini_path):
    both = run("spof", "--demo", str(mini_path), "--lang", "nl")
    assert both.exit_code == 2 and "Geef PATH of --demo, niet allebei." in both.output
    assert "Give the inventory PATH" in run("rank").output  # English by default, also after a Dutch command
    assert "Geef het pad (PATH) van de inventaris" in run("rank", env_lang="nl").output
    inv = tmp_path / "inv"
    inv.mkdir()
    for f in mini_path.iterdir():
        text = f.read_text("utf-8")
        (inv / f.name).write_text(text.replace("S-EU,", "S-EU2,", 1) if f.name == "suppliers.csv" else text, "utf-8")
    nl = run("impact", str(inv), "--supplier", "S-EU2", "--lang", "nl")
    en = run("impact", str(inv), "--supplier", "S-EU2")
    assert nl.exit_code == en.exit_code == 1
    assert re.search(r"^FOUT +\S+\.csv regel \d+, kolom ", nl.output, re.M), nl.output
    assert re.search(r": \d+ fout\(en\); er is niets geladen\. `sovmap validate ", nl.output), nl.output
    assert re.search(r"^ERROR +\S+\.csv line \d+, column ", en.output, re.M) and "nothing was loaded" in en.output
    # a command without --lang after a Dutch one: its messages stay English
    assert "Give either PATH or --demo, not both." in run("export", "--demo", str(mini_path)).output
