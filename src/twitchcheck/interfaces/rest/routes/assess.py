"""The two hot routes: ``POST /assess`` and ``POST /interview/next``.

Results are built by the engine's own code, so they are not validated again against
response_model (which documents the shape; schemathesis checks every answer against it). An
assessment is sent as the plain data the Checker builds, serialised by orjson: the same JSON as
r.Assessment's (tested), without validating its many objects into models first. An interview step
is small: its model's dump_json is used. A quick body is answered right on the event loop, a
larger one in the thread pool (:func:`answer_for`). Both routes read their body by hand
(:func:`read_body`) and the checker from the app instead of through CheckerDep: for requests this
cheap, FastAPI's body handling and dependency resolution are a noticeable share of the work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from twitchcheck import results as r
from twitchcheck.interfaces.rest.deps import app_checker
from twitchcheck.interfaces.rest.paths import API
from twitchcheck.interfaces.rest.schemas import AssessIn, InterviewIn, ParseIn

Body = TypeVar("Body", bound=BaseModel)
Answer = TypeVar("Answer")

_INTERVIEW_STEP = TypeAdapter(r.InterviewStep)
_PARSED = TypeAdapter(r.ParsedText)


async def read_body(request: Request, model: type[Body]) -> Body:
    """The request body as ``model``, parsed and validated from the bytes in one pass by
    pydantic (FastAPI decodes the JSON first, then validates). Errors are FastAPI's own 422
    problems, located in the body as FastAPI would."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


async def answer_for(body: AssessIn, work: Callable[[], Answer]) -> Answer:
    """``work()`` right on the event loop when ``body`` answers quickly (a hand-off to the thread
    pool costs more than a whole quick assessment), else in the thread pool."""
    return work() if body.answers_quickly() else await run_in_threadpool(work)


def body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads ``model`` with :func:`read_body` (the
    schema itself is added to the document's components by openapi.openapi_with_problems)."""
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


async def assess(request: Request) -> Response:
    """Rank every cause and triage the evidence. Stateless and deterministic."""
    body = await read_body(request, AssessIn)
    checker = app_checker(request.app)
    result = await answer_for(body, lambda: body.run_data(checker))
    return Response(orjson.dumps(result), media_type="application/json")


async def interview_next(request: Request) -> Response:
    """The next most useful question (with its rationale), or whether to stop."""
    body = await read_body(request, InterviewIn)
    checker = app_checker(request.app)

    def step() -> r.InterviewStep:
        return checker.next_question(
            age=body.age,
            sex=body.sex,
            evidence=body.evidence,
            max_questions=body.max_questions,
            concerns=body.concerns,
            text=body.text,
        )

    result = await answer_for(body, step)
    return Response(_INTERVIEW_STEP.dump_json(result), media_type="application/json")


async def parse(request: Request) -> Response:
    """Read free text into findings (contracts §6): nothing is logged or kept."""
    body = await read_body(request, ParseIn)
    checker = app_checker(request.app)
    result = await run_in_threadpool(checker.parse, body.text)
    return Response(_PARSED.dump_json(result), media_type="application/json")


def add_assess_routes(app: FastAPI) -> None:
    app.add_api_route(
        f"{API}/parse",
        parse,
        methods=["POST"],
        response_model=r.ParsedText,
        tags=["assess"],
        openapi_extra=body_doc(ParseIn),
    )
    app.add_api_route(
        f"{API}/assess",
        assess,
        methods=["POST"],
        response_model=r.Assessment,
        tags=["assess"],
        openapi_extra=body_doc(AssessIn),
    )
    app.add_api_route(
        f"{API}/interview/next",
        interview_next,
        methods=["POST"],
        response_model=r.InterviewStep,
        tags=["interview"],
        openapi_extra=body_doc(InterviewIn),
    )
