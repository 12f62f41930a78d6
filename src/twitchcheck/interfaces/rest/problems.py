"""Every error answered as an RFC 9457 problem document (``application/problem+json``).

The product's own errors keep their stable code and HTTP status; FastAPI's validation errors,
Starlette's HTTP errors and anything unexpected are mapped to the same shape, and an unexpected
error never shows a trace.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from twitchcheck.errors import TwitchcheckError, UnknownIdError
from twitchcheck.interfaces.rest.schemas import Problem

log = logging.getLogger("twitchcheck.rest")

PROBLEM = "application/problem+json"


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

    @app.exception_handler(TwitchcheckError)
    async def _domain_error(_: Request, exc: TwitchcheckError) -> JSONResponse:
        suggestions = exc.suggestions if isinstance(exc, UnknownIdError) else []
        response = problem(status_of(exc), type(exc).__name__, exc.message, exc.code, suggestions)
        response.headers.update(retry_after_headers(exc))  # Retry-After on a 429
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{where or 'body'}: {err.get('msg')}")
        return problem(422, "Invalid request", "; ".join(parts)[:2000], "E422")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem(exc.status_code, "HTTP error", str(exc.detail), f"E{exc.status_code}")
        for name, value in (exc.headers or {}).items():  # e.g. Allow on a 405
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:  # a bug: never leak a trace
        log.error("internal error: %s", type(exc).__name__)
        return problem(500, "Internal error", "Something went wrong on our side.", "E500")
