"""A QuestionnaireResponse against the Questionnaire it answers (R4B QuestionnaireResponse):
each item's linkId names an item at the same place of the Questionnaire; groups and display
items take no answer; an answer's type "must match the datatype specified by
Questionnaire.item.type" (answer.value[x]); one answer unless the item repeats; a choice answer is
one of the item's answerOptions (open-choice may also be free text); children of a question sit
under its answer. The answer types per item type are read from the package's item-type
CodeSystem, whose definitions name them ("Question with a yes/no answer (valueBoolean)").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from tests.fhir_check.definitions import load
from tests.fhir_check.issues import Issue, Severity

VALUE_NAME = re.compile(r"\bvalue[A-Z][A-Za-z]+")
NO_ANSWER = frozenset({"group", "display"})


def _concepts(concepts: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for concept in concepts:
        yield concept
        yield from _concepts(concept.get("concept", []))


@cache
def answer_types() -> dict[str, frozenset[str]]:
    """Item type code -> the answer value[x] names its definition allows."""
    item_types = load().code_systems["http://hl7.org/fhir/item-type"]
    return {
        concept["code"]: frozenset(VALUE_NAME.findall(concept.get("definition", "")))
        for concept in _concepts(item_types.get("concept", []))
    }


def _issue(location: str, message: str, key: str, severity: Severity = "error") -> Issue:
    return Issue(severity, "questionnaire", location, message, key)


def _value(answer: dict[str, Any]) -> tuple[str, Any] | None:
    for name, value in answer.items():
        if name.startswith("value"):
            return name, value
    return None


def _same_option(name: str, value: Any, option: dict[str, Any]) -> bool:
    if name not in option:
        return False
    if name == "valueCoding" and isinstance(value, dict):
        wanted = option[name]
        same_system = "system" not in wanted or wanted.get("system") == value.get("system")
        return same_system and wanted.get("code") == value.get("code")
    return bool(option[name] == value)


def _answers(asked: dict[str, Any], given: dict[str, Any], location: str) -> Iterator[Issue]:
    kind, answers = asked.get("type"), given.get("answer", [])
    if kind in NO_ANSWER:
        if answers:
            yield _issue(location, f"a {kind} item takes no answer", "qr-no-answer")
        return
    if len(answers) > 1 and not asked.get("repeats"):
        yield _issue(
            location, f"{len(answers)} answers to an item that does not repeat", "qr-repeats"
        )
    allowed = answer_types().get(str(kind), frozenset())
    options = asked.get("answerOption", [])
    for index, answer in enumerate(answers):
        found = _value(answer)
        if found is None:
            continue  # an answer with only nested items
        name, value = found
        where = f"{location}.answer[{index}].{name}"
        if allowed and name not in allowed:
            expected = " or ".join(sorted(allowed))
            yield _issue(where, f"a {kind} item is answered with {expected}, not {name}", "qr-type")
        free_text = kind == "open-choice" and name == "valueString"
        if options and not free_text and not any(_same_option(name, value, o) for o in options):
            yield _issue(where, "the answer is not one of the item's answerOptions", "qr-option")


def _match(
    asked_items: list[dict[str, Any]], given_items: list[Any], location: str
) -> Iterator[Issue]:
    by_link = {item.get("linkId"): item for item in asked_items if isinstance(item, dict)}
    for index, given in enumerate(given_items):
        if not isinstance(given, dict):
            continue  # the schema reports it
        where = f"{location}.item[{index}]"
        asked = by_link.get(given.get("linkId"))
        if asked is None:
            yield _issue(
                where,
                f"linkId {given.get('linkId')!r} is not an item at this place of the Questionnaire",
                "qr-link",
            )
            continue
        yield from _answers(asked, given, where)
        children = asked.get("item", [])
        if asked.get("type") == "display" and given.get("item"):
            yield _issue(where, "a display item has no child items", "qr-no-answer")
        elif asked.get("type") != "group" and given.get("item"):
            yield _issue(
                where, "a question's child items belong under its answer", "qr-nesting", "warning"
            )
        yield from _match(children, given.get("item", []), where)
        for answer_index, answer in enumerate(given.get("answer", [])):
            if isinstance(answer, dict) and answer.get("item"):
                yield from _match(children, answer["item"], f"{where}.answer[{answer_index}]")


def check_against(
    response: dict[str, Any], questionnaire: dict[str, Any], location: str | None = None
) -> list[Issue]:
    """Every problem of ``response``'s items against ``questionnaire``'s."""
    where = location or "QuestionnaireResponse"
    return list(_match(questionnaire.get("item", []), response.get("item", []), where))
