"""SDC's adaptive-questionnaire rules, which are not in the core package (SDC is an R4 guide).

Written from SDC 3.0.0 (STU 3): the Adaptive Questionnaire profile (sdc-questionnaire-adapt),
the Adaptive QuestionnaireResponse profile (sdc-questionnaireresponse-adapt), the
questionnaireAdaptive extension and the $next-question operation
(OperationDefinition Questionnaire-next-question). Each rule cites its section.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.fhir_check import questionnaire_response
from tests.fhir_check.issues import Issue

ADAPTIVE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-questionnaireAdaptive"


def _issue(location: str, message: str, key: str, severity: str = "error") -> Issue:
    return Issue(severity, "sdc", location, message, key)  # type: ignore[arg-type]


def _items(items: list[dict[str, Any]], location: str) -> Iterator[tuple[dict[str, Any], str]]:
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue  # the schema reports it
        where = f"{location}.item[{index}]"
        yield item, where
        yield from _items(item.get("item", []), where)
        for answer_index, answer in enumerate(item.get("answer", [])):
            yield from _items(answer.get("item", []), f"{where}.answer[{answer_index}]")


def _adaptive_extensions(questionnaire: dict[str, Any]) -> list[dict[str, Any]]:
    return [ext for ext in questionnaire.get("extension", []) if ext.get("url") == ADAPTIVE]


def check_questionnaire(questionnaire: dict[str, Any], location: str) -> list[Issue]:
    """The questionnaireAdaptive extension: at most once, valueBoolean or valueUrl."""
    # SDC 3.0.0, Extension sdc-questionnaire-questionnaireAdaptive: "Value can either be a
    # boolean (if true, indicates adaptive) or a URL for the base URL of a server that can
    # perform the nextQuestion operation"; value[x] 0..1 of boolean | url.
    issues = []
    extensions = _adaptive_extensions(questionnaire)
    if len(extensions) > 1:
        issues.append(
            _issue(location, "questionnaireAdaptive appears more than once", "sdc-adapt-ext")
        )
    for extension in extensions:
        values = [name for name in extension if name.startswith("value")]
        if values not in (["valueBoolean"], ["valueUrl"]):
            issues.append(
                _issue(
                    location,
                    "questionnaireAdaptive takes a valueBoolean or a valueUrl",
                    "sdc-adapt-ext",
                )
            )
    return issues


def check_embedded(questionnaire: dict[str, Any], location: str) -> list[Issue]:
    """SDC 3.0.0 Adaptive Questionnaire profile (the one embedded in an adaptive response)."""
    issues = check_questionnaire(questionnaire, location)
    # SDC 3.0.0, Profile sdc-questionnaire-adapt: Questionnaire.extension:questionnaireAdaptive
    # 1..1 (the profile's three mandatory elements are this extension, title and derivedFrom).
    if len(_adaptive_extensions(questionnaire)) != 1:
        issues.append(
            _issue(
                location,
                "an adaptive Questionnaire carries questionnaireAdaptive (1..1)",
                "sdc-qa-1",
            )
        )
    if "url" in questionnaire:
        # sdc-questionnaire-adapt, Questionnaire.url 0..0: "We prohibit URL because this
        # Questionnaire is a one-off for a specific response" (its base is in derivedFrom).
        issues.append(
            _issue(
                f"{location}.url",
                "the embedded adaptive Questionnaire has no url (0..0)",
                "sdc-qa-2",
            )
        )
    # sdc-questionnaire-adapt, Questionnaire.title 1..1.
    if not questionnaire.get("title"):
        issues.append(
            _issue(location, "the adaptive Questionnaire needs a title (1..1)", "sdc-qa-3")
        )
    # sdc-questionnaire-adapt, Questionnaire.derivedFrom 1..1: "there must be exactly one
    # Questionnaire which is the base Questionnaire the 'adaptive' QuestionnaireResponse
    # completion was executed against".
    if len(questionnaire.get("derivedFrom", [])) != 1:
        issues.append(
            _issue(location, "derivedFrom names exactly one base Questionnaire (1..1)", "sdc-qa-4")
        )
    # sdc-questionnaire-adapt, Questionnaire.item.text 1..1 (the profile's nested mandatory one).
    for item, where in _items(questionnaire.get("item", []), location):
        if not item.get("text"):
            issues.append(_issue(where, "every adaptive item has text (1..1)", "sdc-qa-5"))
    return issues


def check_response(response: dict[str, Any], location: str) -> list[Issue]:
    """SDC 3.0.0 Adaptive QuestionnaireResponse profile and $next-question: the response carries
    its Questionnaire contained and points at it; a completed one answers the required items."""
    reference = response.get("questionnaire", "")
    contained = {
        "#" + str(resource.get("id")): resource
        for resource in response.get("contained", [])
        if resource.get("resourceType") == "Questionnaire"
    }
    questionnaire = contained.get(reference)
    if questionnaire is None:
        return []
    # Any response with its Questionnaire contained: the items against the Questionnaire's.
    issues = questionnaire_response.check_against(response, questionnaire, location)
    if not _adaptive_extensions(questionnaire):
        return issues  # not an adaptive response: nothing SDC-specific to check
    issues += check_embedded(questionnaire, f"{location}.contained")
    for name in ("subject", "authored"):
        if name not in response:
            # sdc-questionnaireresponse-adapt: subject (Reference(Patient)) and authored are
            # 1..1 in its table of mandatory elements (checked against the STU 3 ballot's
            # rendering); issue 20 accepts requests without them, so only a warning.
            issues.append(
                _issue(
                    location,
                    f"the Adaptive QuestionnaireResponse profile has {name} 1..1",
                    "sdc-qr-1",
                    "warning",
                )
            )
    asked = {item.get("linkId"): item for item, _ in _items(questionnaire.get("item", []), "")}
    answered = {
        item.get("linkId")
        for item, _ in _items(response.get("item", []), location)
        if item.get("answer")
    }
    # $next-question: the client sends "the answers to all required questions in the
    # questionnaire to that point", and the server marks the response complete at the end: so
    # a completed adaptive response has an answer for every required question it asked.
    if response.get("status") == "completed":
        for link_id, item in asked.items():
            if item.get("required") and not item.get("readOnly") and link_id not in answered:
                issues.append(
                    _issue(
                        location,
                        f"completed, but required item {link_id!r} has no answer",
                        "sdc-qr-3",
                    )
                )
    return issues


def check(resource: dict[str, Any], location: str | None = None) -> list[Issue]:
    """The SDC rules that apply to ``resource`` and to the resources inside it."""
    kind = resource.get("resourceType")
    where = location or str(kind)
    issues: list[Issue] = []
    if kind == "Questionnaire":
        issues += check_questionnaire(resource, where)
    elif kind == "QuestionnaireResponse":
        issues += check_response(resource, where)
    for index, entry in enumerate(resource.get("entry", [])):
        if isinstance(entry.get("resource"), dict):
            issues += check(entry["resource"], f"{where}.entry[{index}].resource")
    for index, parameter in enumerate(
        resource.get("parameter", []) if kind == "Parameters" else []
    ):
        if isinstance(parameter.get("resource"), dict):
            issues += check(parameter["resource"], f"{where}.parameter[{index}].resource")
    return issues
