"""The checker itself: it reports each kind of broken resource, and passes good ones (the
hand-written minimal examples and the package's own examples) before it is trusted elsewhere."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.fhir_check import assert_valid, check, validate
from tests.fhir_check import examples as ex
from tests.fhir_check.__main__ import main as command_line
from tests.fhir_check.definitions import Definitions, package_resources
from tests.fhir_check.invariants import catalogue
from tests.fhir_check.issues import Issue

pytestmark = pytest.mark.usefixtures("fhir_definitions")

Resource = dict[str, Any]


def errors(resource: Resource) -> list[Issue]:
    return [issue for issue in validate(resource) if issue.severity == "error"]


def found(resource: Resource, source: str, location: str, key: str | None = None) -> bool:
    return any(
        issue.source == source and issue.location == location and (key is None or issue.key == key)
        for issue in errors(resource)
    )


@pytest.mark.parametrize("name", sorted(ex.ALL))
def test_minimal_examples_pass_without_any_issue(name: str) -> None:
    report = check(ex.ALL[name]())
    assert report.issues == []
    assert report.evaluated, "some invariants ran"
    assert report.skipped == {}


def test_the_package_examples_pass(fhir_definitions: Definitions) -> None:
    # The official JSON Schema has no "_profile"/"_targetProfile" beside canonical arrays in
    # ElementDefinition.type, yet this example (rightly) uses them: a gap in the schema.
    schema_gap = {"StructureDefinition-example-composition"}
    failing = {
        name: [str(issue) for issue in errors(resource)]
        for name, resource in fhir_definitions.examples.items()
        if name not in schema_gap
    }
    assert len(failing) >= 20
    assert {name: found_ for name, found_ in failing.items() if found_} == {}


@pytest.mark.slow
def test_the_package_operation_definitions_and_capability_statements_pass() -> None:
    """The package's own resources of the types the product emits. Four OperationDefinitions
    are wrong in the package itself: they put the bindingName extension on
    OperationDefinition.parameter.binding, but its context is ElementDefinition.binding."""
    misplaced = {
        "OperationDefinition-CodeSystem-subsumes",
        "OperationDefinition-NamingSystem-preferred-id",
        "OperationDefinition-Observation-stats",
        "OperationDefinition-Resource-validate",
    }
    resources = package_resources("OperationDefinition") | package_resources("CapabilityStatement")
    assert len(resources) == 53
    failing = {name: errors(resource) for name, resource in resources.items()}
    failing = {name: issues for name, issues in failing.items() if issues}
    assert set(failing) == misplaced
    for issues in failing.values():
        assert all("bindingName is not allowed here" in issue.message for issue in issues)


def _with(make: Callable[[], Resource], change: Callable[[Resource], object]) -> Resource:
    resource = make()
    change(resource)
    return resource


def test_a_wrong_status_code_is_reported() -> None:
    broken = _with(ex.questionnaire, lambda q: q.update(status="finished"))
    assert found(broken, "binding", "Questionnaire.status")


def test_a_missing_required_element_is_reported() -> None:
    broken = _with(ex.observation, lambda o: o.pop("code"))
    assert found(broken, "structure", "Observation.code")
    assert found(broken, "schema", "Observation")  # 'code' is a required property


@pytest.mark.parametrize("when", ["2026-13-01", "2026-02-30", "2026-04-01T10:00:00"])
def test_a_bad_date_is_reported(when: str) -> None:
    # A month 13 fails the schema's pattern; 30 February only the calendar check; a time without
    # a zone fails the pattern (FHIR requires the zone when there is a time).
    broken = _with(ex.observation, lambda o: o.update(effectiveDateTime=when))
    assert found(broken, "schema", "Observation.effectiveDateTime") or found(
        broken, "structure", "Observation.effectiveDateTime"
    )


def test_a_bad_calendar_date_is_found_by_the_calendar_check_alone() -> None:
    broken = _with(ex.patient, lambda p: p.update(birthDate="2023-02-30"))
    assert [issue.source for issue in errors(broken)] == ["structure"]


def test_an_unknown_element_is_reported() -> None:
    broken = _with(ex.patient, lambda p: p.update(favouriteColour="blue"))
    assert found(broken, "structure", "Patient.favouriteColour")
    assert found(broken, "schema", "Patient")


def test_a_wrong_type_is_reported() -> None:
    broken = _with(ex.observation, lambda o: o.update(valueBoolean="yes"))
    assert found(broken, "schema", "Observation.valueBoolean")
    listed = _with(ex.questionnaire, lambda q: q.update(item=q["item"][0]))
    assert found(listed, "structure", "Questionnaire.item")  # an object where an array belongs


def test_an_extension_without_url_is_reported() -> None:
    broken = _with(ex.patient, lambda p: p.update(extension=[{"valueString": "x"}]))
    assert found(broken, "structure", "Patient.extension[0].url")


def test_a_duplicate_link_id_is_reported() -> None:
    def duplicate(q: Resource) -> None:
        q["item"][1]["linkId"] = "age"

    assert found(_with(ex.questionnaire, duplicate), "invariant", "Questionnaire", "que-2")


def test_a_code_outside_a_required_binding_is_reported() -> None:
    def odd_type(q: Resource) -> None:
        q["item"][0]["type"] = "number"

    assert found(_with(ex.questionnaire, odd_type), "binding", "Questionnaire.item[0].type")
    assert found(_with(ex.patient, lambda p: p.update(gender="f")), "binding", "Patient.gender")


def test_an_unreferenced_contained_resource_is_reported() -> None:
    broken = _with(ex.observation, lambda o: o.update(contained=[ex.patient()]))
    assert found(broken, "invariant", "Observation", "dom-3")
    referenced = _with(
        lambda: copy.deepcopy(broken), lambda o: o.update(subject={"reference": "#p1"})
    )
    assert not found(referenced, "invariant", "Observation", "dom-3")


def test_bad_narrative_fails_the_html_checks() -> None:
    script = '<div xmlns="http://www.w3.org/1999/xhtml"><script>x()</script></div>'
    broken = _with(ex.patient, lambda p: p.update(text={"status": "generated", "div": script}))
    assert found(broken, "invariant", "Patient.text.div", "txt-1") or any(
        issue.key == "txt-1" for issue in errors(broken)
    )


def test_resolve_follows_references_inside_a_bundle() -> None:
    # bdl-7: fullUrl must be unique; the same entry twice breaks it.
    broken = _with(ex.bundle, lambda b: b["entry"].append(b["entry"][0]))
    assert any(issue.key == "bdl-7" for issue in errors(broken))


def test_sdc_rules_catch_a_broken_adaptive_response() -> None:
    def unanswered(qr: Resource) -> None:
        qr["status"] = "completed"
        qr["item"] = []
        qr["contained"][0]["derivedFrom"] = []

    keys = {issue.key for issue in errors(_with(ex.adaptive_response, unanswered))}
    assert {"sdc-qa-4", "sdc-qr-3"} <= keys


def test_a_response_is_checked_against_its_contained_questionnaire() -> None:
    stray = _with(ex.adaptive_response, lambda qr: qr["item"].append({"linkId": "nope"}))
    assert found(stray, "questionnaire", "QuestionnaireResponse.item[1]", "qr-link")

    def answer(*answers: dict[str, Any]) -> Callable[[Resource], None]:
        return lambda qr: qr["item"].append({"linkId": "sex", "answer": list(answers)})

    assert not errors(_with(ex.adaptive_response, answer({"valueCoding": {"code": "female"}})))
    wrong_type = _with(ex.adaptive_response, answer({"valueString": "female"}))
    assert found(wrong_type, "questionnaire", "QuestionnaireResponse.item[1].answer[0].valueString")
    not_an_option = _with(ex.adaptive_response, answer({"valueCoding": {"code": "other"}}))
    assert any(issue.key == "qr-option" for issue in errors(not_an_option))
    two = _with(
        ex.adaptive_response,
        answer({"valueCoding": {"code": "female"}}, {"valueCoding": {"code": "female"}}),
    )
    assert any(issue.key == "qr-repeats" for issue in errors(two))


def test_extensions_are_checked_against_the_core_definitions() -> None:
    hidden = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"

    def on_item(value: dict[str, Any]) -> Callable[[Resource], None]:
        return lambda q: q["item"][0].update(extension=[{"url": hidden, **value}])

    assert not errors(_with(ex.questionnaire, on_item({"valueBoolean": True})))
    wrong_type = _with(ex.questionnaire, on_item({"valueString": "yes"}))
    assert found(wrong_type, "structure", "Questionnaire.item[0].extension[0].valueString")
    no_value = _with(ex.questionnaire, on_item({}))
    assert found(no_value, "structure", "Questionnaire.item[0].extension[0]")
    wrong_place = _with(
        ex.patient, lambda p: p.update(extension=[{"url": hidden, "valueBoolean": True}])
    )
    assert found(wrong_place, "structure", "Patient.extension[0]")
    typo = "http://hl7.org/fhir/StructureDefinition/questionnaire-hiden"
    unknown = _with(ex.patient, lambda p: p.update(extension=[{"url": typo, "valueBoolean": True}]))
    assert found(unknown, "structure", "Patient.extension[0].url")


def test_codes_of_code_systems_in_the_package_are_checked() -> None:
    category = "http://terminology.hl7.org/CodeSystem/observation-category"

    def coded(coding: dict[str, str]) -> Callable[[Resource], None]:
        return lambda o: o.update(category=[{"coding": [{"system": category, **coding}]}])

    assert not validate(_with(ex.observation, coded({"code": "survey", "display": "Survey"})))
    invented = _with(ex.observation, coded({"code": "surveys"}))
    assert found(invented, "terminology", "Observation.category[0].coding[0].code")
    misnamed = validate(_with(ex.observation, coded({"code": "survey", "display": "Quiz"})))
    assert [(i.severity, i.location) for i in misnamed] == [
        ("warning", "Observation.category[0].coding[0].display")
    ]


def test_references_are_resolved_where_they_can_be() -> None:
    def dangling(b: Resource) -> None:
        b["entry"][1]["resource"]["subject"] = {
            "reference": "urn:uuid:0a0b0c0d-0000-4000-8000-000000000000"
        }

    assert found(
        _with(ex.bundle, dangling), "structure", "Bundle.entry[1].resource.subject.reference"
    )
    missing = _with(ex.observation, lambda o: o.update(subject={"reference": "#nobody"}))
    assert found(missing, "structure", "Observation.subject.reference")
    # RiskAssessment.subject takes a Patient or a Group, not an Observation.
    wrong = _with(ex.risk_assessment, lambda r: r.update(subject={"reference": "Observation/o1"}))
    assert found(wrong, "structure", "RiskAssessment.subject.reference")
    assert not errors(
        _with(ex.risk_assessment, lambda r: r.update(subject={"reference": "Group/g"}))
    )


def test_assert_valid_lists_every_issue() -> None:
    broken = _with(ex.patient, lambda p: p.update(gender="f", favouriteColour="blue"))
    with pytest.raises(AssertionError) as failure:
        assert_valid(broken)
    for issue in validate(broken):
        assert str(issue) in str(failure.value)
    assert_valid(ex.patient())


def test_the_command_line_exits_1_on_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(ex.patient()), encoding="utf-8")
    bad.write_text(json.dumps(_with(ex.patient, lambda p: p.update(gender="f"))), encoding="utf-8")
    assert command_line([str(good)]) == 0
    assert command_line([str(good), str(bad)]) == 1
    assert "Patient.gender" in capsys.readouterr().out


def test_every_core_invariant_is_evaluable_or_listed_with_a_reason() -> None:
    invariants = catalogue()
    assert len(invariants) > 200
    assert all(reason is None or reason for reason in invariants.values())


def test_bundle_full_urls_agree_with_their_resources() -> None:
    def renamed(b: Resource) -> None:
        b["entry"][0]["fullUrl"] = "http://example.org/Patient/someone-else"

    assert found(_with(ex.bundle, renamed), "structure", "Bundle.entry[0].fullUrl")

    def not_a_uuid(b: Resource) -> None:
        b["entry"][0]["fullUrl"] = "urn:uuid:patient-1"
        b["entry"][1]["resource"]["subject"] = {"reference": "urn:uuid:patient-1"}

    assert found(_with(ex.bundle, not_a_uuid), "structure", "Bundle.entry[0].fullUrl")


def test_a_claimed_profile_is_named_as_not_checked() -> None:
    sdc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-adapt"
    claimed = validate(_with(ex.questionnaire, lambda q: q.update(meta={"profile": [sdc]})))
    assert [(i.severity, i.location) for i in claimed] == [
        ("warning", "Questionnaire.meta.profile")
    ]


def test_the_schema_patterns_read_whitespace_as_xml_schema_does() -> None:
    # U+00A0 is not whitespace for FHIR's XML Schema regexes (it is for Python's and ECMAScript's).
    def text(value: str) -> Callable[[Resource], None]:
        return lambda o: o["code"].update(text=value)

    assert not validate(_with(ex.observation, text("5\u00a0mg")))
    assert found(_with(ex.observation, text("")), "schema", "Observation.code.text")
    assert found(
        _with(ex.patient, lambda p: p.update(gender="fe  male")), "schema", "Patient.gender"
    )
