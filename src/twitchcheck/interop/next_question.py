"""``Questionnaire/$next-question`` (SDC adaptive forms): the answers so far in, the response
out with its contained Questionnaire grown by the next question, or completed with the result.

The question, its order (safety screen first) and the stop rule are the facade's interview
(``Checker.next_question``, as ``POST /api/v1/interview/next``); the result is the facade's
assessment (``Checker.assess``, as ``POST /api/v1/assess``). Only age, sex and what was noticed
first are asked here, first, because the interview takes them as given.
"""

from __future__ import annotations

from typing import Any

from twitchcheck.api import Checker
from twitchcheck.domain import Sex
from twitchcheck.interop.answers import (
    AGE,
    INITIAL,
    RESULT,
    SEX,
    Answers,
    read_answers,
    shown_options,
)
from twitchcheck.interop.outcome import (
    REQUIRED,
    FhirInputError,
    expect_list,
    expect_resource,
    facade_errors,
)
from twitchcheck.interop.questionnaire import (
    ADAPTIVE,
    AGE_ITEM,
    SEX_ITEM,
    TITLE,
    asked_items,
    initial_item,
    item_for,
    result_items,
)
from twitchcheck.interop.resources import QUESTIONNAIRE_URL, parse, resource
from twitchcheck.interop.risk import patient, risk_assessment

PARAMETER = "questionnaire-response"
#: ids of the resources the answer contains.
GROWN, RISK, PATIENT = "questionnaire", "assessment", "patient"


def response_of(body: object) -> dict[str, Any]:
    """The QuestionnaireResponse of a request: the ``questionnaire-response`` part of a
    Parameters resource, or the body itself."""
    if isinstance(body, dict) and body.get("resourceType") == "Parameters":
        parts = [
            p
            for p in expect_list(body, "parameter", "Parameters")
            if isinstance(p, dict) and p.get("name") == PARAMETER
        ]
        if len(parts) != 1:
            raise FhirInputError(
                REQUIRED, f"The Parameters must hold one '{PARAMETER}' part.", status=400
            )
        body = parts[0].get("resource")
    qr = expect_resource(body, "QuestionnaireResponse", "questionnaire-response")
    return parse(qr, "The QuestionnaireResponse")


def contained_items(qr: dict[str, Any]) -> list[dict[str, Any]]:
    """The items of the Questionnaire the client sent back contained (none for the base)."""
    for res in qr.get("contained") or []:
        if isinstance(res, dict) and res.get("resourceType") == "Questionnaire":
            return [i for i in res.get("item") or [] if i.get("linkId") != RESULT]
    return []


def next_question(checker: Checker, body: object) -> dict[str, Any]:
    """The operation: see the module's docstring and docs/fhir.md."""
    qr = response_of(body)
    answers = read_answers(qr, checker)
    kept = contained_items(qr)
    have = {i["linkId"] for i in kept}
    shown = shown_options(qr)
    # Answered questions the client's Questionnaire lacks (a bare response) get their item.
    grown = kept + [
        item_for(checker, link_id, shown.get(link_id, ()))
        for link_id in answered_order(qr)
        if link_id not in have
    ]
    have |= {i["linkId"] for i in grown}
    items = [
        i for i in expect_list(qr, "item", "QuestionnaireResponse") if i.get("linkId") != RESULT
    ]
    out: dict[str, Any] = {k: v for k, v in qr.items() if k not in ("contained", "item", "text")}
    out |= {"questionnaire": f"#{GROWN}", "status": "in-progress", "item": items}
    contained: list[dict[str, Any]] = []

    new = first_items(checker, answers, have)
    age, sex = answers.age, answers.sex
    if new is None and age is not None and sex is not None:
        with facade_errors():
            step = checker.next_question(age=age, sex=sex, evidence=answers.evidence)
        if step.question is not None:
            new = [i for i in asked_items(checker.kb, step.question) if i["linkId"] not in have]
        else:
            result, extra = completed(checker, age, sex, answers, out)
            grown.append(result["group"])
            out["item"] = [*items, result["answers"]]
            out["status"] = "completed"
            contained += extra
    grown += new or []
    questionnaire = {
        "resourceType": "Questionnaire",
        "id": GROWN,
        "extension": [ADAPTIVE],
        "version": checker.kb.version,
        "title": TITLE,
        "derivedFrom": [QUESTIONNAIRE_URL],
        "status": "active",
        "subjectType": ["Patient"],
        "item": grown,
    }
    out["contained"] = [questionnaire, *contained]
    return resource(out)


def answered_order(qr: dict[str, Any]) -> list[str]:
    """linkIds of the response's top-level items, in order."""
    return [i["linkId"] for i in qr.get("item") or [] if i.get("linkId") not in (None, RESULT)]


def first_items(checker: Checker, answers: Answers, have: set[str]) -> list[dict[str, Any]] | None:
    """Age, then sex, then what was noticed first (once): the items to ask before the
    interview proper, or None when they are done."""
    if answers.age is None:
        return [] if AGE in have else [AGE_ITEM]
    if answers.sex is None:
        return [] if SEX in have else [SEX_ITEM]
    if INITIAL not in have and INITIAL not in answers.answered and not answers.evidence:
        return [initial_item(checker.kb)]
    return None


def completed(
    checker: Checker, age: int, sex: Sex, answers: Answers, out: dict[str, Any]
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The result at the stop: the readOnly items and the contained RiskAssessment (and a
    Patient when the response names no subject)."""
    present, absent, _unknown, initial = answers.sets()
    with facade_errors():
        assessment = checker.assess(
            age=age, sex=sex, present=present, absent=absent, initial=initial
        )
    extra: list[dict[str, Any]] = []
    subject = (out.get("subject") or {}).get("reference")
    if not subject:
        extra.append(patient(age, sex, PATIENT))
        subject = f"#{PATIENT}"
    risk = risk_assessment(checker.kb, assessment, subject=subject, basis=["#"], risk_id=RISK)
    group, given = result_items(checker.kb, assessment, f"#{RISK}")
    return {"group": group, "answers": given}, [risk, *extra]
