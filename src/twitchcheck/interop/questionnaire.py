"""The interview as questionnaire items: the base adaptive Questionnaire, the first three items
(age, sex, what was noticed first), the item for each screen the interview asks, and the
readOnly items that show the result. linkIds follow :mod:`.answers`."""

from __future__ import annotations

from typing import Any

from twitchcheck import results as r
from twitchcheck.api import Checker
from twitchcheck.domain import LEVELS, Sex
from twitchcheck.interop.answers import AGE, DONT_KNOW, INITIAL, NONE, RESULT, SEX
from twitchcheck.interop.resources import (
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_URL,
    SDC_ADAPTIVE_EXTENSION,
    resource,
)
from twitchcheck.kb import KnowledgeBase
from twitchcheck.kb.coding import (
    ADMINISTRATIVE_GENDER,
    ANSWER_SYSTEM,
    FINDING_SYSTEM,
    TRIAGE_SYSTEM,
)

ADAPTIVE = {"url": SDC_ADAPTIVE_EXTENSION, "valueBoolean": True}
#: The causes the readOnly result lists (the RiskAssessment holds every one).
RESULT_CAUSES = 5
WHY = "-why"


#: The interview's title, on the base Questionnaire and on each grown one (SDC's adaptive
#: Questionnaire profile requires a title on the one contained in a response).
TITLE = "twitchcheck: why does my nose (or another muscle) twitch?"


def option(system: str, code: str, display: str) -> dict[str, Any]:
    return {"valueCoding": {"system": system, "code": code, "display": display}}


SINGLE_OPTIONS = [
    option(ANSWER_SYSTEM, "present", "Yes"),
    option(ANSWER_SYSTEM, "absent", "No"),
    option(ANSWER_SYSTEM, "unknown", "Don't know"),
]
NONE_OPTION = option(ANSWER_SYSTEM, NONE, "None of these")
DONT_KNOW_OPTION = option(ANSWER_SYSTEM, DONT_KNOW, "Don't know")

AGE_ITEM = {
    "linkId": AGE,
    "type": "integer",
    "text": "How old are you (in whole years)?",
    "required": True,
}
SEX_ITEM = {
    "linkId": SEX,
    "type": "choice",
    "text": "What is your sex?",
    "required": True,
    "answerOption": [option(ADMINISTRATIVE_GENDER, s.value, s.value.title()) for s in Sex],
}


def base_questionnaire(kb: KnowledgeBase) -> dict[str, Any]:
    """``Questionnaire/twitchcheck``: adaptive, so it lists no items (``$next-question`` gives
    them one at a time)."""
    return resource(
        {
            "resourceType": "Questionnaire",
            "id": QUESTIONNAIRE_ID,
            "extension": [ADAPTIVE],
            "url": QUESTIONNAIRE_URL,
            "version": kb.version,
            "name": "TwitchcheckInterview",
            "title": TITLE,
            "status": "active",
            "experimental": False,
            "subjectType": ["Patient"],
            "publisher": "twitchcheck",
            "description": (
                "An adaptive interview about twitching: ask $next-question for each question. "
                "Age and sex first, then a safety screen, then the questions that tell the "
                "likely causes apart. Decision support, not a diagnosis."
            ),
        }
    )


def initial_item(kb: KnowledgeBase) -> dict[str, Any]:
    """What the person noticed first (optional; several may be chosen)."""
    return {
        "linkId": INITIAL,
        "type": "choice",
        "text": "What did you notice first?",
        "repeats": True,
        "answerOption": [
            option(FINDING_SYSTEM, f.id, f.label) for f in kb.findings if f.asked_by == "person"
        ],
    }


def question_item(
    kb: KnowledgeBase, link_id: str, kind: str, text: str, items: list[str]
) -> dict[str, Any]:
    """The item for a screen: a yes/no/don't know choice, or a choice among its findings
    (``repeats`` with "none of these" for a "which of these" screen)."""
    item: dict[str, Any] = {"linkId": link_id, "type": "choice", "text": text, "required": True}
    if kind == "single":
        item["answerOption"] = SINGLE_OPTIONS
        return item
    findings = [option(FINDING_SYSTEM, f, kb.finding(f).label) for f in items]
    if kind == "group_multiple":
        item["repeats"] = True
        item["answerOption"] = [*findings, NONE_OPTION, DONT_KNOW_OPTION]
    else:
        item["answerOption"] = [*findings, DONT_KNOW_OPTION]
    return item


def asked_items(kb: KnowledgeBase, question: r.Question) -> list[dict[str, Any]]:
    """The interview's next screen: its rationale (a display item), then the question."""
    why = {"linkId": f"{question.id}{WHY}", "type": "display", "text": question.rationale}
    ids = [i.id for i in question.items]
    return [why, question_item(kb, question.id, question.type, question.text, ids)]


def item_for(checker: Checker, link_id: str, shown: tuple[str, ...] = ()) -> dict[str, Any]:
    """The item of an answered question whose definition the client did not send back."""
    kb = checker.kb
    if link_id == AGE:
        return AGE_ITEM
    if link_id == SEX:
        return SEX_ITEM
    if link_id == INITIAL:
        return initial_item(kb)
    unit = next((u for u in checker.units if u.id == link_id and u.type != "single"), None)
    if unit is not None:
        return question_item(kb, unit.id, unit.type, unit.text, list(shown or unit.items))
    return question_item(kb, link_id, "single", kb.finding(link_id).question, [link_id])


def result_items(
    kb: KnowledgeBase, assessment: r.Assessment, risk_ref: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The result as readOnly items: (the Questionnaire's group, the response's answers)."""
    triage = assessment.triage
    top = assessment.causes[:RESULT_CAUSES]
    level_options = [option(TRIAGE_SYSTEM, lv, kb.levels[lv].name) for lv in LEVELS]
    definitions: list[tuple[dict[str, Any], dict[str, Any]]] = [
        (
            {"linkId": "result-triage", "type": "choice", "text": "Level of care"}
            | {"answerOption": level_options},
            option(TRIAGE_SYSTEM, triage.level.value, triage.name),
        ),
        (
            {"linkId": "result-advice", "type": "text", "text": triage.name},
            {"valueString": triage.advice},
        ),
        (
            {"linkId": "result-safety-net", "type": "text", "text": "If things change"},
            {"valueString": triage.safety_net},
        ),
        *(
            (
                {"linkId": f"result-cause-{c.id}", "type": "decimal", "text": c.name},
                {"valueDecimal": c.probability},
            )
            for c in top
        ),
        (
            {"linkId": "result-assessment", "type": "reference", "text": "The full assessment"},
            {"valueReference": {"reference": risk_ref}},
        ),
    ]
    group = {
        "linkId": RESULT,
        "type": "group",
        "text": "Result (decision support, not a diagnosis)",
        "readOnly": True,
        "item": [d | {"readOnly": True} for d, _ in definitions],
    }
    answers = {
        "linkId": RESULT,
        "item": [{"linkId": d["linkId"], "answer": [a]} for d, a in definitions],
    }
    return group, answers
