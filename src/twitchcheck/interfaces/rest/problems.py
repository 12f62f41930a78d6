"""Every error answered as an RFC 9457 problem document (``application/problem+json``), but on
the pages people read (``/``, the diary and account pages), where it is a short page: a page is
never replaced by raw JSON; and under ``/fhir``, where it is an OperationOutcome (contracts §6).

The product's own errors keep their stable code and HTTP status; FastAPI's validation errors,
Starlette's HTTP errors and anything unexpected are mapped to the same shape, and an unexpected
error never shows a trace.
"""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from twitchcheck.errors import NotFoundError, TwitchcheckError, UnknownIdError
from twitchcheck.interfaces.rest.paths import FHIR, PERSONAL_PAGES
from twitchcheck.interfaces.rest.schemas import Problem
from twitchcheck.interop.outcome import FhirInputError, operation_outcome
from twitchcheck.interop.resources import MEDIA_TYPE as FHIR_JSON

log = logging.getLogger("twitchcheck.rest")

PROBLEM = "application/problem+json"


def for_people(path: str) -> bool:
    """Whether ``path`` is one of the pages people read (their errors are pages too)."""
    return path == "/" or path.startswith(PERSONAL_PAGES)


def problem(
    status: int, title: str, detail: str, code: str, suggestions: list[str] | None = None
) -> JSONResponse:
    """A problem document with ``status``."""
    body = Problem(
        type=f"https://twitchcheck.example/problems/{code}",
        title=title,
        status=status,
        detail=detail,
        code=code,
        suggestions=suggestions or [],
    )
    return JSONResponse(body.model_dump(), status_code=status, media_type=PROBLEM)


#: The OperationOutcome issue type (http://hl7.org/fhir/issue-type) of each HTTP error status.
ISSUE_OF_STATUS = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    408: "timeout",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
    429: "throttled",
    503: "transient",
}


def outcome(status: int, detail: str, issue: str | None = None) -> JSONResponse:
    """An OperationOutcome answer (the errors under ``/fhir``)."""
    code = issue or ISSUE_OF_STATUS.get(status, "exception")
    return JSONResponse(operation_outcome(code, detail), status_code=status, media_type=FHIR_JSON)


def answer(path: str, status: int, title: str, detail: str, code: str) -> Response:
    """A problem document, an OperationOutcome under ``/fhir``, or a plain page on a path
    :func:`for_people`."""
    if path == FHIR or path.startswith(f"{FHIR}/"):
        return outcome(status, detail)
    if not for_people(path):
        return problem(status, title, detail, code)
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title></head><body><main><h1>{html.escape(title)}</h1><p>{html.escape(detail)}</p>"
        '<p><a href="/diary">Back to the diary</a></p></main></body></html>'
    )
    return HTMLResponse(page, status_code=status)


def status_of(exc: TwitchcheckError) -> int:
    """The HTTP status answering ``exc``: its own, but 500 for every server-side failure except
    storage that is unavailable (503: the request may succeed later)."""
    return exc.http_status if exc.http_status < 500 or exc.http_status == 503 else 500


def retry_after_headers(exc: Exception) -> dict[str, str]:
    """``Retry-After`` for an error that says how long to wait (too many sign-in attempts)."""
    wait = getattr(exc, "retry_after", None)
    return {"Retry-After": str(wait)} if isinstance(wait, int) else {}


def add_problem_handlers(app: FastAPI) -> None:
    """Answer every exception that reaches ``app`` with a problem document."""

    @app.exception_handler(FhirInputError)
    async def _fhir_error(request: Request, exc: FhirInputError) -> Response:
        return JSONResponse(exc.outcome(), status_code=exc.status, media_type=FHIR_JSON)

    @app.exception_handler(TwitchcheckError)
    async def _domain_error(request: Request, exc: TwitchcheckError) -> Response:
        suggestions = exc.suggestions if isinstance(exc, UnknownIdError) else []
        path = request.url.path
        if path.startswith(f"{FHIR}/"):
            issue = "not-found" if isinstance(exc, NotFoundError) else None
            response: Response = outcome(status_of(exc), exc.message, issue)
        elif not for_people(path):
            response = problem(status_of(exc), exc.title, exc.message, exc.code, suggestions)
        else:
            response = answer(path, status_of(exc), "Something is not right", exc.message, "")
        response.headers.update(retry_after_headers(exc))  # Retry-After on a 429
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{where or 'body'}: {err.get('msg')}")
        return answer(request.url.path, 422, "Invalid request", "; ".join(parts)[:2000], "E422")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        response = answer(request.url.path, status, "HTTP error", str(exc.detail), f"E{status}")
        for name, value in (exc.headers or {}).items():  # e.g. Allow on a 405
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:  # a bug: never a trace
        log.error("internal error: %s", type(exc).__name__)
        return answer(
            request.url.path, 500, "Internal error", "Something went wrong on our side.", "E500"
        )
