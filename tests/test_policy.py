"""Policy files: the default is valid, Dutch names work, and a bad file gives a clear message (file, line, key, value, hint)."""

from __future__ import annotations

import networkx as nx
import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.graph.policy import default_policy, parse_policy, requirements, strictest


def problems_of(text, name: str = "mine.yaml") -> list:
    policy, problems = parse_policy(text, name)
    assert policy is None and problems, "expected problems"
    return problems


class TestDefaultPolicy:
    def test_default_policy_states_the_guidance(self):
        p = default_policy()
        assert p.requirement("classification", "secret").levels == {
            "geographic": "in_control", "legal": "in_control", "operational": "in_control"}
        assert p.requirement("personal_data", "special").levels["operational"] == "in_control"
        assert p.requirement("classification", "confidential").levels == {
            "geographic": "in_control", "legal": "in_control", "operational": "partial"}
        assert p.requirement("personal_data", "personal").levels == {"geographic": "partial", "legal": "partial"}
        assert p.requirement("criticality", "vital").levels == {"operational": "in_control"}
        assert p.requirement("criticality", "high").levels == {"operational": "partial"}
        assert p.requirement("classification", "public").levels == {}


class TestParsePolicy:
    def test_dutch_attribute_value_dimension_and_level_names_are_accepted(self):
        policy, problems = parse_policy(
            "requirements:\n  classificatie:\n    geheim: {geografisch: in controle, juridisch: deels, gewicht: 9}\n")
        assert problems == []
        req = policy.requirement("classification", "secret")
        assert (req.levels, req.weight) == ({"geographic": "in_control", "legal": "partial"}, 9)

    def test_a_misspelt_level_names_file_line_key_value_and_the_accepted_levels(self):
        p = problems_of("name: x\nrequirements:\n  classification:\n    secret: {legal: incontrol}\n")[0]
        assert (p.file, p.line, p.key, p.value) == ("mine.yaml", 4, "requirements.classification.secret.legal",
                                                     "incontrol")
        assert str(p) == ('mine.yaml line 4, key requirements.classification.secret.legal: "incontrol" is not a level '
                          'of control. Did you mean "in_control"? Accepted: in_control (in controle), partial (deels), '
                          'not_in_control (niet in controle).')

    def test_an_unknown_attribute_value_lists_the_accepted_values(self):
        p = problems_of("requirements:\n  classification:\n    topsecret: {legal: partial}\n")[0]
        assert (p.line, p.value) == (3, "topsecret")
        assert "is not a value of classification" in p.message
        assert "secret (geheim)" in p.hint

    def test_an_attribute_a_policy_cannot_use(self):
        p = problems_of("requirements:\n  data_export:\n    none: {legal: partial}\n")[0]
        assert (p.line, p.key) == (2, "requirements.data_export")
        assert p.hint == "Accepted: classification, personal_data, criticality."

    def test_an_unknown_dimension(self):
        p = problems_of("requirements:\n  criticality:\n    vital: {legall: in_control}\n")[0]
        assert 'Did you mean "legal"?' in p.hint

    @pytest.mark.parametrize("weight", ["0", "-3", "heavy", "1.5"])
    def test_a_weight_must_be_a_whole_number_of_at_least_one(self, weight):
        p = problems_of(f"requirements:\n  criticality:\n    vital: {{operational: partial, weight: {weight}}}\n")[0]
        assert (p.key, p.value) == ("requirements.criticality.vital.weight", weight)

    def test_the_same_value_in_english_and_dutch_is_given_twice(self):
        p = problems_of("requirements:\n  classification:\n    secret: {legal: partial}\n    geheim: {legal: in_control}\n")[0]
        assert (p.line, "given twice" in p.message) == (4, True)

    def test_an_unknown_top_level_key(self):
        p = problems_of("requirement:\n  criticality:\n    vital: {operational: partial}\n")[0]
        assert (p.line, p.key) == (1, "requirement")
        assert 'Did you mean "requirements"?' in p.hint

    def test_broken_yaml_reports_the_line(self):
        p = problems_of("requirements:\n  criticality:\n    vital: {operational: partial\n")[0]
        assert p.line is not None and "not valid YAML" in p.message

    def test_every_problem_is_reported_not_just_the_first(self):
        problems = problems_of("requirements:\n  criticality:\n    vital: {operational: nope}\n    hihg: {legal: partial}\n")
        assert [p.line for p in problems] == [3, 4]

    @pytest.mark.parametrize("text, message", [
        ("", "The policy is empty."),
        ("- a\n- b\n", "The policy must be a mapping"),
        ("name: only a name\n", 'The policy has no "requirements".'),
        (b"\xff\xfe bad", "The file is not UTF-8 text."),
    ])
    def test_files_that_are_not_policies(self, text, message):
        assert problems_of(text)[0].message.startswith(message)


class TestRequirements:
    def test_a_system_gets_the_strictest_of_its_data_sets_and_processes(self):
        g = nx.MultiDiGraph()
        g.add_node("D-PUB", kind="dataset", name="Open data", classification="public")
        g.add_node("D-CONF", kind="dataset", name="Cases", classification="confidential", personal_data="personal")
        g.add_node("P", kind="process", name="Crisis", criticality="vital")
        g.add_node("SYS", kind="system", name="Store")
        runs_on = {"D-PUB": frozenset({"SYS"}), "D-CONF": frozenset({"SYS"}), "P": frozenset({"SYS"}),
                   "SYS": frozenset({"SYS"})}
        req = requirements(g, default_policy(), runs_on)
        assert {dim: strictest(s) for dim, s in req["SYS"].items()} == {
            "geographic": "in_control", "legal": "in_control", "operational": "in_control"}
        assert req["SYS"]["operational"][0]["id"] == "P"
        assert [s["attribute"] for s in req["D-CONF"]["legal"]] == ["classification", "personal_data"]
        assert req["D-PUB"] == {}


class TestPolicyOption:
    def test_a_bad_policy_file_gives_a_clear_message_and_exit_1(self, mini_path, tmp_path):
        f = tmp_path / "beleid.yaml"
        f.write_text("requirements:\n  criticality:\n    vitaal: {operationeel: volledig}\n", "utf-8")
        r = CliRunner().invoke(app, ["assess", str(mini_path), "--policy", str(f)])
        assert r.exit_code == 1
        assert ('beleid.yaml line 3, key requirements.criticality.vitaal.operationeel: "volledig" is not a level '
                'of control.') in r.stderr
        assert "Traceback" not in r.output

    def test_a_missing_policy_file_is_a_usage_error(self, mini_path, tmp_path):
        r = CliRunner().invoke(app, ["assess", str(mini_path), "--policy", str(tmp_path / "none.yaml")])
        assert r.exit_code == 2
        assert "no such policy file" in r.stderr
