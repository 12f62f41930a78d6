"""The FHIR R4B face under ``/fhir`` (docs/fhir.md): thin routes over :mod:`twitchcheck.interop`.

Bodies are read by hand (``application/fhir+json`` or ``application/json``, checked by
guards.BodyGuard) and answered as ``application/fhir+json``; every error is an OperationOutcome
(problems.py). The work runs in the thread pool: an interview step and the result are a few
milliseconds of CPU.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from twitchcheck import __version__
from twitchcheck.api import Checker
from twitchcheck.errors import NotFoundError
from twitchcheck.interfaces.rest.deps import CheckerDep, app_checker
from twitchcheck.interfaces.rest.paths import FHIR
from twitchcheck.interop import conformance
from twitchcheck.interop.next_question import next_question
from twitchcheck.interop.outcome import STRUCTURE, FhirInputError
from twitchcheck.interop.questionnaire import base_questionnaire
from twitchcheck.interop.resources import MEDIA_TYPE, QUESTIONNAIRE_ID
from twitchcheck.interop.risk import assess_bundle

RESOURCE_SCHEMA = {"type": "object", "required": ["resourceType"]}
#: The OpenAPI answer of every FHIR route (its errors are added by openapi.py).
FHIR_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A FHIR R4B resource",
        "content": {MEDIA_TYPE: {"schema": RESOURCE_SCHEMA}},
    }
}


def fhir_response(data: dict[str, Any]) -> Response:
    return Response(orjson.dumps(data), media_type=MEDIA_TYPE)


def body_doc(what: str) -> dict[str, Any]:
    """The OpenAPI request body of a FHIR operation (``what``: the resources it takes)."""
    content = {kind: {"schema": RESOURCE_SCHEMA} for kind in (MEDIA_TYPE, "application/json")}
    return {"requestBody": {"required": True, "description": what, "content": content}}


async def read_json(request: Request) -> object:
    try:
        return orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise FhirInputError(STRUCTURE, "The body is not JSON.", status=400) from None


async def operate(request: Request, work: Callable[[Checker, object], dict[str, Any]]) -> Response:
    body = await read_json(request)
    checker = app_checker(request.app)
    return fhir_response(await run_in_threadpool(work, checker, body))


async def metadata(checker: CheckerDep) -> Response:
    """The CapabilityStatement: what this server does, with its operations' definitions."""
    return fhir_response(conformance.capability_statement(checker.kb, __version__))


async def code_system(cs_id: str, checker: CheckerDep) -> Response:
    """A CodeSystem of the project: ``finding``, ``cause``, ``triage-level`` or ``answer``."""
    return fhir_response(conformance.get_code_system(checker.kb, cs_id))


async def operation_definition(op_id: str, checker: CheckerDep) -> Response:
    """The OperationDefinition of an operation listed in the CapabilityStatement."""
    return fhir_response(conformance.get_operation_definition(checker.kb, op_id))


async def questionnaire(questionnaire_id: str, checker: CheckerDep) -> Response:
    """The adaptive Questionnaire ``twitchcheck`` (its items come from ``$next-question``)."""
    if questionnaire_id != QUESTIONNAIRE_ID:
        raise NotFoundError("Questionnaire", questionnaire_id, [QUESTIONNAIRE_ID])
    return fhir_response(base_questionnaire(checker.kb))


async def questionnaire_next_question(request: Request) -> Response:
    """SDC ``$next-question``: a Parameters with ``questionnaire-response``, or a bare
    QuestionnaireResponse, in; the response with the next question, or completed, out."""
    return await operate(request, next_question)


async def risk_assessment_assess(request: Request) -> Response:
    """Parameters (``age``, ``sex``, ``observation``s) in; a collection Bundle out: Patient, the
    Observations, the RiskAssessment and a triage Observation."""
    return await operate(request, assess_bundle)


def add_fhir_routes(app: FastAPI) -> None:
    tags: list[Any] = ["FHIR"]
    gets: list[tuple[str, Callable[..., Any]]] = [
        ("/metadata", metadata),
        ("/CodeSystem/{cs_id}", code_system),
        ("/OperationDefinition/{op_id}", operation_definition),
        ("/Questionnaire/{questionnaire_id}", questionnaire),
    ]
    posts: list[tuple[str, Callable[..., Any], str]] = [
        (
            "/Questionnaire/$next-question",
            questionnaire_next_question,
            "Parameters (questionnaire-response) or a QuestionnaireResponse",
        ),
        ("/RiskAssessment/$assess", risk_assessment_assess, "Parameters (age, sex, observation)"),
    ]
    # The operations first: "$next-question" must not be read as a Questionnaire id.
    for path, route, what in posts:
        app.add_api_route(
            f"{FHIR}{path}",
            route,
            methods=["POST"],
            tags=tags,
            response_class=Response,
            responses=FHIR_ANSWER,
            openapi_extra=body_doc(what),
        )
    for path, route in gets:
        app.add_api_route(
            f"{FHIR}{path}",
            route,
            methods=["GET"],
            tags=tags,
            response_class=Response,
            responses=FHIR_ANSWER,
        )
