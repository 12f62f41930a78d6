"""Routes about the service itself, outside the API's prefix."""

from __future__ import annotations

from fastapi import FastAPI

from twitchcheck.interfaces.rest.deps import CheckerDep


def healthz(checker: CheckerDep) -> dict[str, str]:
    """Whether the service is up: `{"status": "ok", "kb_version": "..."}` with the version of the
    knowledge base it answers with. For load balancers and monitoring (outside `/api/v1`)."""
    return {"status": "ok", "kb_version": checker.kb.version}


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
    app.add_api_route("/hello", hello, methods=["GET"], tags=["service"], include_in_schema=False)
