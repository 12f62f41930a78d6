"""Routes about the service itself, outside the API's prefix."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from twitchcheck.errors import StorageError, TwitchcheckError
from twitchcheck.interfaces.rest.deps import CheckerDep, app_checker, app_diary
from twitchcheck.interfaces.rest.problems import problem


def healthz(checker: CheckerDep) -> dict[str, str]:
    """Whether the service is up: `{"status": "ok", "kb_version": "..."}` with the version of the
    knowledge base it answers with. For load balancers and monitoring (outside `/api/v1`)."""
    return {"status": "ok", "kb_version": checker.kb.version}


def readyz(request: Request) -> JSONResponse:
    """Whether this process can serve every request now: the knowledge base is loaded and the
    diary's database answers a `SELECT 1` (opening and migrating it on the first call).
    `{"status": "ready"}`, else 503 with a problem document that says which part is not ready.
    For a load balancer's readiness checks; not rate-limited; nothing about any person."""
    try:
        app_checker(request.app).kb  # noqa: B018 (built on first use: a bad KB raises here)
    except TwitchcheckError as exc:  # its code says which failure (E200: an invalid KB)
        return problem(503, "Not ready", "The knowledge base could not be loaded.", exc.code)
    try:
        app_diary(request.app).store.ping()
    except StorageError as exc:
        return problem(503, exc.title, exc.message, exc.code)
    return JSONResponse({"status": "ready"})


async def hello() -> dict[str, str]:
    """A plain route for load-test comparison. Async, as FastAPI's own hello world: a plain
    ``def`` route runs in the thread pool, whose hand-off would be counted against every route
    compared with this one."""
    return {"hello": "world"}


def add_service_routes(app: FastAPI) -> None:
    app.add_api_route(
        "/healthz",
        healthz,
        methods=["GET"],
        tags=["service"],
        summary="Health check",
        responses={200: {"description": "The service is up; `kb_version` names its KB"}},
    )
    app.add_api_route(
        "/readyz",
        readyz,
        methods=["GET"],
        tags=["service"],
        summary="Readiness check",
        responses={
            200: {
                "description": "Ready: the KB is loaded and the database answers",
                "content": {"application/json": {"example": {"status": "ready"}}},
            },
            503: {
                "description": "Not ready: the database does not answer, or the KB is not loaded"
            },
        },
    )
    app.add_api_route("/hello", hello, methods=["GET"], tags=["service"], include_in_schema=False)
