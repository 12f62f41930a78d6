"""What the FHIR face publishes about itself: the CapabilityStatement, the OperationDefinitions
of its operations and the project's CodeSystems (findings, causes, triage levels, answers).

Each is named by a canonical URL under ``kb.coding.CANONICAL_BASE``, never by the host serving
it, and is built from the KB (its version is the KB version), so it follows the KB.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from twitchcheck.domain import LEVELS
from twitchcheck.errors import NotFoundError
from twitchcheck.interop.resources import (
    ASSESS_ID,
    CAPABILITY_URL,
    FHIR_VERSION,
    NEXT_QUESTION_ID,
    QUESTIONNAIRE_URL,
    SDC_NEXT_QUESTION,
    operation_url,
    resource,
)
from twitchcheck.kb import KnowledgeBase
from twitchcheck.kb.coding import ANSWER_SYSTEM, CAUSE_SYSTEM, FINDING_SYSTEM, TRIAGE_SYSTEM

PUBLISHER = "twitchcheck"
#: Answer codes: what each means.
ANSWERS = (
    ("present", "Yes", "The finding is present."),
    ("absent", "No", "The finding is absent."),
    ("unknown", "Don't know", "The person does not know whether the finding is present."),
    ("none", "None of these", "None of the items of a grouped question apply: all are absent."),
    ("dont-know", "Don't know (all)", "The person does not know for any item of the question."),
)


def code_system(
    kb: KnowledgeBase, cs_id: str, url: str, title: str, concepts: list[dict[str, str]]
) -> dict[str, Any]:
    return resource(
        {
            "resourceType": "CodeSystem",
            "id": cs_id,
            "url": url,
            "version": kb.version,
            "name": title.title().replace(" ", ""),
            "title": f"twitchcheck {title.lower()}",
            "status": "active",
            "experimental": False,
            "publisher": PUBLISHER,
            "description": f"The {title.lower()} of twitchcheck's knowledge base, by their KB id.",
            "caseSensitive": True,
            "content": "complete",
            "count": len(concepts),
            "concept": concepts,
        }
    )


def code_systems(kb: KnowledgeBase) -> dict[str, Callable[[], dict[str, Any]]]:
    """The CodeSystems by id, each built when asked for."""
    return {
        "finding": lambda: code_system(
            kb,
            "finding",
            FINDING_SYSTEM,
            "Findings",
            [{"code": f.id, "display": f.label, "definition": f.question} for f in kb.findings],
        ),
        "cause": lambda: code_system(
            kb,
            "cause",
            CAUSE_SYSTEM,
            "Causes",
            [{"code": c.id, "display": c.name, "definition": c.description} for c in kb.causes],
        ),
        "triage-level": lambda: code_system(
            kb,
            "triage-level",
            TRIAGE_SYSTEM,
            "Triage levels",
            [
                {"code": lv, "display": kb.levels[lv].name, "definition": kb.levels[lv].advice}
                for lv in LEVELS
            ],
        ),
        "answer": lambda: code_system(
            kb,
            "answer",
            ANSWER_SYSTEM,
            "Answers",
            [{"code": c, "display": d, "definition": m} for c, d, m in ANSWERS],
        ),
    }


def get_code_system(kb: KnowledgeBase, cs_id: str) -> dict[str, Any]:
    systems = code_systems(kb)
    if cs_id not in systems:
        raise NotFoundError("CodeSystem", cs_id, systems)
    return systems[cs_id]()


def parameter(
    name: str, use: str, low: int, high: str, kind: str | None, doc: str
) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "use": use, "min": low, "max": high, "documentation": doc}
    if kind:
        out["type"] = kind
    return out


def operation_definitions(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """The OperationDefinitions by id."""
    common = {
        "resourceType": "OperationDefinition",
        "version": kb.version,
        "status": "active",
        "kind": "operation",
        "publisher": PUBLISHER,
        "affectsState": False,
        "system": False,
        "type": True,
        "instance": False,
    }
    next_question = {
        **common,
        "id": NEXT_QUESTION_ID,
        "url": operation_url(NEXT_QUESTION_ID),
        "name": "TwitchcheckNextQuestion",
        "title": "twitchcheck adaptive interview: the next question",
        "description": (
            "SDC's $next-question on the adaptive questionnaire "
            f"{QUESTIONNAIRE_URL}: the answers so far in, the same QuestionnaireResponse out "
            "with its contained Questionnaire grown by the next question (age and sex first, "
            "then the safety screen), or, when the interview stops, completed, with the "
            "result as readOnly items and a contained RiskAssessment. Accepts a bare "
            "QuestionnaireResponse as the body too."
        ),
        "code": "next-question",
        "base": SDC_NEXT_QUESTION,
        "resource": ["Questionnaire"],
        "parameter": [
            parameter(
                "questionnaire-response",
                "in",
                1,
                "1",
                "QuestionnaireResponse",
                "The answers so far, with the Questionnaire grown so far contained.",
            ),
            parameter(
                "return",
                "out",
                1,
                "1",
                "QuestionnaireResponse",
                "The response with the next question, or completed with the result.",
            ),
        ],
    }
    assess = {
        **common,
        "id": ASSESS_ID,
        "url": operation_url(ASSESS_ID),
        "name": "TwitchcheckAssess",
        "title": "twitchcheck assessment of findings as Observations",
        "description": (
            "Ranks every cause in the knowledge base and triages the findings: age, sex and "
            "Observations in; a collection Bundle out with a Patient, the Observations used, "
            "the RiskAssessment (one prediction per cause) and a triage Observation."
        ),
        "code": "assess",
        "resource": ["RiskAssessment"],
        "parameter": [
            parameter("age", "in", 1, "1", "integer", "Age in whole years (0 to 120)."),
            parameter(
                "sex",
                "in",
                0,
                "1",
                "code",
                "administrative-gender: female, male, other or unknown (the default).",
            ),
            parameter(
                "observation",
                "in",
                0,
                "*",
                "Observation",
                "A finding, present or absent (see docs/fhir.md for how it is coded).",
            ),
            parameter("return", "out", 1, "1", "Bundle", "A collection Bundle."),
        ],
    }
    return {NEXT_QUESTION_ID: resource(next_question), ASSESS_ID: resource(assess)}


def get_operation_definition(kb: KnowledgeBase, op_id: str) -> dict[str, Any]:
    definitions = operation_definitions(kb)
    if op_id not in definitions:
        raise NotFoundError("OperationDefinition", op_id, definitions)
    return definitions[op_id]


def capability_statement(
    kb: KnowledgeBase, software_version: str, published: date | None = None
) -> dict[str, Any]:
    """What this server does, as a CapabilityStatement (kind instance, JSON only).

    ``published``: the statement's ``date``; an instance statement describes the running
    server, so by default it is today's date (UTC): the KB carries no release date of its own.
    """
    published = published or datetime.now(UTC).date()
    read = [{"code": "read"}]
    return resource(
        {
            "resourceType": "CapabilityStatement",
            "url": CAPABILITY_URL,
            "version": kb.version,
            "name": "TwitchcheckServer",
            "title": "twitchcheck FHIR server",
            "status": "active",
            "experimental": False,
            "date": published.isoformat(),
            "publisher": PUBLISHER,
            "description": (
                "Decision support for twitching: an adaptive questionnaire and a risk assessment "
                "of causes with triage. Not a diagnosis."
            ),
            "kind": "instance",
            "software": {"name": "twitchcheck", "version": software_version},
            "implementation": {"description": "twitchcheck FHIR R4B face (docs/fhir.md)"},
            "fhirVersion": FHIR_VERSION,
            "format": ["json"],
            "rest": [
                {
                    "mode": "server",
                    "resource": [
                        {"type": "CodeSystem", "interaction": read},
                        {"type": "OperationDefinition", "interaction": read},
                        {
                            "type": "Questionnaire",
                            "interaction": read,
                            "operation": [
                                {
                                    "name": "next-question",
                                    "definition": operation_url(NEXT_QUESTION_ID),
                                }
                            ],
                        },
                        {
                            "type": "RiskAssessment",
                            "operation": [
                                {"name": "assess", "definition": operation_url(ASSESS_ID)}
                            ],
                        },
                    ],
                }
            ],
        }
    )
