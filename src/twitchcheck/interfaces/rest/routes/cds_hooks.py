"""CDS Hooks 2.0 under ``/cds-services``: thin routes over :mod:`twitchcheck.interop.cds_hooks`.

- ``GET /cds-services``: discovery (no health data, so no token needed).
- ``POST /cds-services/{id}``: a service call; the bearer JWT is checked first (unless the server
  is in single-user development mode, :attr:`Settings.cds_auth_required`), then the cards.
- ``POST /cds-services/{id}/feedback``: what the clinician did with a card; only the card's uuid
  and the outcome are logged (never a comment, which may hold health data).
- ``GET /cds-services/view/{token}``: the page a card links to (interop.cds_hooks_views).

Errors are problem documents (contracts §6): 400 malformed, 401 no valid token (with
``WWW-Authenticate: Bearer``), 404 unknown service, 412 missing prefetch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from twitchcheck.interfaces.rest.deps import app_checker
from twitchcheck.interfaces.rest.paths import CDS
from twitchcheck.interfaces.rest.problems import problem
from twitchcheck.interfaces.rest.routes.assess import body_doc
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.interfaces.web.pages import asset_folder
from twitchcheck.interop import cds_hooks as cds
from twitchcheck.interop.cds_hooks import CdsRequest
from twitchcheck.interop.cds_hooks_auth import CdsAuthError, JwtVerifier, load_key_set
from twitchcheck.interop.cds_hooks_cards import FeedbackRequest
from twitchcheck.interop.cds_hooks_views import ViewStore

VIEW = f"{CDS}/view"
log = logging.getLogger("twitchcheck.cds")
NO_STORE = {"Cache-Control": "no-store"}


@dataclass
class CdsState:
    """The CDS face's parts of one app: the token verifier (None: development mode, no check),
    the linked assessments, and the public base URL (None: the request's own)."""

    verifier: JwtVerifier | None
    views: ViewStore
    base_url: str | None
    templates: Jinja2Templates


def cds_state(request: Request) -> CdsState:
    state: CdsState = request.app.state.cds
    return state


def public_url(request: Request, path: str) -> str:
    """``path`` as the client reaches it: under ``cds_base_url`` when set."""
    base = cds_state(request).base_url or f"{request.url.scheme}://{request.url.netloc}"
    return base + path


def json_answer(data: Any, status: int = 200) -> Response:
    return Response(
        orjson.dumps(data), status_code=status, media_type="application/json", headers=NO_STORE
    )


def unknown_service(service_id: str) -> Response:
    known = ", ".join(cds.SERVICES)
    return problem(
        404, "No such CDS service", f"Unknown service {service_id[:60]!r}; known: {known}.", "E404"
    )


def refused(request: Request) -> Response | None:
    """A 401 when the call carries no valid bearer JWT for this endpoint (and one is needed)."""
    verifier = cds_state(request).verifier
    if verifier is None:
        return None
    try:
        verifier.verify(request.headers.get("authorization"), public_url(request, request.url.path))
    except CdsAuthError as exc:
        answer = problem(401, "Not authenticated", str(exc), "E401")
        answer.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return answer
    return None


async def discovery() -> Response:
    """The CDS services this server offers (CDS Hooks 2.0 discovery)."""
    return json_answer(cds.discovery())


async def call_service(service_id: str, request: Request) -> Response:
    """A CDS Hooks call: cards for the patient's twitching (see GET /cds-services)."""
    if service_id not in cds.SERVICES:
        return unknown_service(service_id)
    if (answer := refused(request)) is not None:
        return answer
    state = cds_state(request)
    body = await request.body()

    def link(assessment: Any) -> str:
        return public_url(request, f"{VIEW}/{state.views.put(assessment)}")

    try:
        cards = await run_in_threadpool(
            cds.call_service,
            service_id,
            body,
            app_checker(request.app),
            datetime.now(UTC).date(),
            link,
        )
    except cds.CdsRequestError as exc:
        return problem(400, "Malformed CDS Hooks request", exc.reason, "E400")
    except cds.PrefetchMissingError as exc:
        return problem(412, "Prefetch missing", str(exc), "E412")
    return json_answer(cards)


async def feedback(service_id: str, request: Request) -> Response:
    """What the clinician did with cards (CDS Hooks 2.0 feedback); answered 200 with no body."""
    if service_id not in cds.SERVICES:
        return unknown_service(service_id)
    if (answer := refused(request)) is not None:
        return answer
    try:
        items = FeedbackRequest.model_validate_json(await request.body()).feedback
    except ValidationError as exc:
        reason = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
            for e in exc.errors(include_url=False)
        )
        return problem(400, "Malformed feedback", reason[:1000], "E400")
    for item in items:  # ids and outcomes only: no comment, no reason text
        log.info("cds feedback: service=%s card=%s outcome=%s", service_id, item.card, item.outcome)
    return Response(status_code=200, headers=NO_STORE)


async def view(token: str, request: Request) -> Response:
    """The assessment a card linked to, while its token lasts."""
    state = cds_state(request)
    assessment = state.views.get(token)
    headers = NO_STORE | {"X-Robots-Tag": "noindex"}
    if assessment is None:
        return HTMLResponse(
            state.templates.get_template("cds_view.html").render(assessment=None),
            status_code=404,
            headers=headers,
        )
    kb = app_checker(request.app).kb
    labels = {f.id: f.label for f in kb.findings}
    page = state.templates.get_template("cds_view.html").render(
        assessment=assessment, labels=labels, minutes=int(state.views.ttl_seconds // 60)
    )
    return HTMLResponse(page, headers=headers)


def add_cds_routes(app: FastAPI, settings: Settings) -> None:
    """The CDS Hooks routes, with the verifier and view store ``settings`` ask for."""
    keys = load_key_set(settings.cds_jwks) if settings.cds_jwks else None
    app.state.cds = CdsState(
        verifier=JwtVerifier(keys, settings.cds_issuers) if settings.cds_auth_required else None,
        views=ViewStore(ttl_seconds=settings.cds_view_minutes * 60),
        base_url=settings.cds_base_url,
        templates=Jinja2Templates(directory=str(asset_folder("templates"))),
    )
    tags: list[Any] = ["CDS Hooks"]
    app.add_api_route(CDS, discovery, methods=["GET"], tags=tags)
    app.add_api_route(f"{VIEW}/{{token}}", view, methods=["GET"], include_in_schema=False)
    app.add_api_route(
        f"{CDS}/{{service_id}}",
        call_service,
        methods=["POST"],
        tags=tags,
        openapi_extra=body_doc(CdsRequest),
    )
    app.add_api_route(
        f"{CDS}/{{service_id}}/feedback",
        feedback,
        methods=["POST"],
        tags=tags,
        openapi_extra=body_doc(FeedbackRequest),
    )
