"""A QuestionnaireResponse read into the answers the facade takes (age, sex, evidence).

Conventions (docs/fhir.md), one item per question, by ``linkId``:

- ``age``: ``valueInteger``, whole years (0 to 120).
- ``sex``: ``valueCoding`` from administrative-gender (``female``, ``male``, ``other``,
  ``unknown``; the ``system`` may be left out).
- ``initial`` (what the person noticed first): ``valueCoding`` answers (repeats) in
  ``FINDING_SYSTEM``; each is present and said first. Optional.
- a single finding: the ``linkId`` is the finding id; one ``valueCoding`` in ``ANSWER_SYSTEM``:
  ``present``, ``absent`` or ``unknown`` (``valueBoolean`` is also accepted).
- a grouped question (a "which of these" screen or an exclusive group): the ``linkId`` is the
  screen's id; the answers are ``valueCoding`` (repeats) of the chosen findings in
  ``FINDING_SYSTEM``, or one ``ANSWER_SYSTEM`` code: ``none`` (none of these: all absent; "which
  of these" screens only) or ``dont-know`` (all unknown). Chosen items are present; the rest of
  the items the question showed are absent. The items shown are the question's ``answerOption``
  in the contained Questionnaire when the response carries it (SDC adaptive form fillers do);
  otherwise the screen's items not answered elsewhere in the response.
- items without an answer are unanswered; the ``result`` group (the readOnly result the server
  added at the end) is skipped; nested items are read as if they were flat.

Anything else is a :class:`~twitchcheck.interop.outcome.FhirInputError`: 400 when the body is not
shaped as a QuestionnaireResponse, 422 for an unknown linkId, a wrong answer type or code, or a
question answered twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from twitchcheck import results as r
from twitchcheck.api import Checker, evidence_sets
from twitchcheck.domain import MAX_AGE, MIN_AGE, Choice, Sex
from twitchcheck.errors import suggest
from twitchcheck.interop.outcome import (
    CODE_INVALID,
    INVALID,
    STRUCTURE,
    VALUE,
    FhirInputError,
    expect_list,
    expect_resource,
)
from twitchcheck.kb.coding import ADMINISTRATIVE_GENDER, ANSWER_SYSTEM, FINDING_SYSTEM

AGE = "age"
SEX = "sex"
INITIAL = "initial"
#: The group of readOnly result items the server adds when the interview stops.
RESULT = "result"

#: ANSWER_SYSTEM codes of a single finding, and of a whole grouped question.
SINGLE_CODES: Mapping[str, Choice] = {
    "present": Choice.PRESENT,
    "absent": Choice.ABSENT,
    "unknown": Choice.UNKNOWN,
    "dont-know": Choice.UNKNOWN,
}
NONE = "none"
DONT_KNOW = "dont-know"
GROUP_CODES = frozenset({NONE, DONT_KNOW, "unknown"})


@dataclass(frozen=True)
class Answers:
    """What a QuestionnaireResponse says: age and sex when answered, and the evidence in the
    order it was given (``initial`` items first flagged as said first)."""

    age: int | None = None
    sex: Sex | None = None
    evidence: tuple[r.EvidenceItem, ...] = ()
    #: linkIds that were answered (age, sex, initial, findings and screens).
    answered: frozenset[str] = field(default_factory=frozenset)

    def sets(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """(present, absent, unknown, initial) finding ids, as ``POST /assess`` takes them."""
        return evidence_sets(self.evidence)


def read_answers(response: object, checker: Checker) -> Answers:
    """The answers of a QuestionnaireResponse (JSON data), checked against ``checker``'s KB."""
    qr = expect_resource(response, "QuestionnaireResponse")
    shown = shown_options(qr)
    screens = {u.id: u for u in checker.units if u.type != "single"}
    findings = {f.id for f in checker.kb.findings}
    age: int | None = None
    sex: Sex | None = None
    evidence: list[r.EvidenceItem] = []
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    seen: set[str] = set()
    for link_id, answers in answered_items(qr):
        if link_id in seen:
            raise FhirInputError(INVALID, f"The question '{link_id}' is answered twice.")
        seen.add(link_id)
        if link_id == AGE:
            age = read_age(answers)
        elif link_id == SEX:
            sex = read_sex(answers)
        elif link_id == INITIAL:
            evidence += [
                r.EvidenceItem(id=f, choice=Choice.PRESENT, initial=True)
                for f in read_findings(link_id, answers, findings)
            ]
        elif link_id in screens:
            groups.append((link_id, answers))
        elif link_id in findings:
            evidence.append(r.EvidenceItem(id=link_id, choice=read_single(link_id, answers)))
        else:
            known = [AGE, SEX, INITIAL, *screens, *findings]
            hint = suggest(link_id, known)
            also = f" Did you mean: {', '.join(hint)}?" if hint else ""
            raise FhirInputError(
                INVALID,
                f"Unknown question linkId '{link_id}'.{also}",
                expression=f"QuestionnaireResponse.item.where(linkId='{link_id}')",
            )
    given = {item.id for item in evidence}
    for link_id, answers in groups:
        unit = screens[link_id]
        items = shown.get(link_id) or tuple(i for i in unit.items if i not in given)
        evidence += read_group(link_id, unit.type, items, answers)
    return Answers(age=age, sex=sex, evidence=tuple(evidence), answered=frozenset(seen))


def answered_items(qr: Mapping[str, Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(linkId, answers) of every answered item, nested ones included, ``result`` skipped."""

    def walk(items: list[Any], where: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
                raise FhirInputError(
                    STRUCTURE, f"Each {where} must be an object with a linkId.", status=400
                )
            link_id: str = item["linkId"]
            if link_id == RESULT:
                continue
            answers = expect_list(item, "answer", f"{where}[{link_id}]")
            for answer in answers:
                if not isinstance(answer, dict):
                    raise FhirInputError(
                        STRUCTURE, f"Each answer of '{link_id}' must be an object.", status=400
                    )
            values = [a for a in answers if any(k.startswith("value") for k in a)]
            if values:
                yield link_id, values
            yield from walk(expect_list(item, "item", where), "item")
            for answer in answers:
                yield from walk(expect_list(answer, "item", where), "item")

    yield from walk(expect_list(dict(qr), "item", "QuestionnaireResponse"), "item")


def shown_options(qr: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The FINDING_SYSTEM options each question of the contained Questionnaire showed."""
    options: dict[str, tuple[str, ...]] = {}

    def walk(items: object) -> None:
        if not isinstance(items, list):
            return
        for item in items:
            if not isinstance(item, dict):
                continue
            codes = [
                o["valueCoding"].get("code")
                for o in item.get("answerOption") or []
                if isinstance(o, dict)
                and isinstance(o.get("valueCoding"), dict)
                and o["valueCoding"].get("system") == FINDING_SYSTEM
            ]
            if codes and isinstance(item.get("linkId"), str):
                options[item["linkId"]] = tuple(c for c in codes if isinstance(c, str))
            walk(item.get("item"))

    for resource in qr.get("contained") or []:
        if isinstance(resource, dict) and resource.get("resourceType") == "Questionnaire":
            walk(resource.get("item"))
    return options


def one_value(link_id: str, answers: list[dict[str, Any]], kinds: tuple[str, ...]) -> Any:
    """The single answer of ``link_id``, whose value must be one of ``kinds`` (e.g. valueInteger);
    returned as (kind, value)."""
    if len(answers) != 1:
        raise FhirInputError(INVALID, f"The question '{link_id}' takes exactly one answer.")
    for kind in kinds:
        if kind in answers[0]:
            return kind, answers[0][kind]
    got = ", ".join(k for k in answers[0] if k.startswith("value"))
    raise FhirInputError(
        INVALID,
        f"The question '{link_id}' is answered with {' or '.join(kinds)}, not {got}.",
        expression=f"QuestionnaireResponse.item.where(linkId='{link_id}').answer",
    )


def coding_code(link_id: str, coding: object, systems: tuple[str, ...]) -> tuple[str, str]:
    """(system, code) of a Coding whose system is one of ``systems`` (``systems[0]`` when left
    out only if it is the only one allowed)."""
    if not isinstance(coding, dict) or not isinstance(coding.get("code"), str):
        raise FhirInputError(
            STRUCTURE, f"An answer of '{link_id}' has a Coding without a code.", status=400
        )
    system = coding.get("system", systems[0] if len(systems) == 1 else None)
    if system not in systems:
        raise FhirInputError(
            CODE_INVALID,
            f"An answer of '{link_id}' must be coded in {' or '.join(systems)}, not {system!r}.",
        )
    return str(system), coding["code"]


def read_age(answers: list[dict[str, Any]]) -> int:
    _, value = one_value(AGE, answers, ("valueInteger",))
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_AGE <= value <= MAX_AGE:
        raise FhirInputError(VALUE, f"The age must be a whole number from {MIN_AGE} to {MAX_AGE}.")
    return value


def read_sex(answers: list[dict[str, Any]]) -> Sex:
    _, coding = one_value(SEX, answers, ("valueCoding",))
    _, code = coding_code(SEX, coding, (ADMINISTRATIVE_GENDER,))
    try:
        return Sex(code)
    except ValueError:
        raise FhirInputError(
            CODE_INVALID, f"The sex must be one of {', '.join(Sex)}, not '{code}'."
        ) from None


def read_single(link_id: str, answers: list[dict[str, Any]]) -> Choice:
    kind, value = one_value(link_id, answers, ("valueCoding", "valueBoolean"))
    if kind == "valueBoolean":
        if not isinstance(value, bool):
            raise FhirInputError(STRUCTURE, f"valueBoolean of '{link_id}' must be true or false.")
        return Choice.PRESENT if value else Choice.ABSENT
    _, code = coding_code(link_id, value, (ANSWER_SYSTEM,))
    if code not in SINGLE_CODES:
        raise FhirInputError(
            CODE_INVALID,
            f"The answer to '{link_id}' must be present, absent or unknown, not '{code}'.",
        )
    return SINGLE_CODES[code]


def read_codings(link_id: str, answers: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(system, code) of every answer of a question answered with Codings."""
    codings = []
    for answer in answers:
        if "valueCoding" not in answer:
            raise FhirInputError(INVALID, f"The question '{link_id}' is answered with valueCoding.")
        codings.append(coding_code(link_id, answer["valueCoding"], (FINDING_SYSTEM, ANSWER_SYSTEM)))
    return codings


def read_findings(link_id: str, answers: list[dict[str, Any]], findings: set[str]) -> list[str]:
    chosen = []
    for system, code in read_codings(link_id, answers):
        if system != FINDING_SYSTEM or code not in findings:
            raise FhirInputError(CODE_INVALID, f"'{code}' is not a finding of this knowledge base.")
        chosen.append(code)
    return chosen


def read_group(
    link_id: str, kind: str, items: tuple[str, ...], answers: list[dict[str, Any]]
) -> list[r.EvidenceItem]:
    """A grouped question's answers as evidence on ``items`` (the items it showed)."""
    codings = read_codings(link_id, answers)
    whole = [code for system, code in codings if system == ANSWER_SYSTEM]
    if whole:
        if (
            len(codings) > 1
            or whole[0] not in GROUP_CODES
            or (kind != "group_multiple" and whole[0] == NONE)
        ):
            allowed = "'none' or 'dont-know'" if kind == "group_multiple" else "'dont-know'"
            raise FhirInputError(
                CODE_INVALID,
                f"'{link_id}' takes its items, or {allowed} alone.",
            )
        choice = Choice.ABSENT if whole[0] == NONE else Choice.UNKNOWN
        return [r.EvidenceItem(id=i, choice=choice) for i in items]
    chosen = {code for _, code in codings}
    outside = sorted(chosen - set(items))
    if outside:
        raise FhirInputError(
            CODE_INVALID, f"'{', '.join(outside)}' is not one of the items of '{link_id}'."
        )
    if kind == "group_single" and len(chosen) > 1:
        raise FhirInputError(INVALID, f"'{link_id}' takes one of its items.")
    return [
        r.EvidenceItem(id=i, choice=Choice.PRESENT if i in chosen else Choice.ABSENT) for i in items
    ]
