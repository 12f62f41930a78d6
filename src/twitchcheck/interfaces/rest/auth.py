"""Who is asking: sessions carried by cookie or bearer token, CSRF and cross-site checks.

Single-user mode (the default of ``twitchcheck serve`` on 127.0.0.1): every diary request acts as
the store's local user; there is no sign-in. Multi-user mode (``serve --multi-user``): accounts
with argon2 password hashes and sessions (:mod:`twitchcheck.diary.accounts`). Browsers carry the
session token in an HttpOnly, SameSite=Lax cookie, and every unsafe request they make must also
carry the session's CSRF token (header ``X-CSRF-Token`` or a ``csrf_token`` form field), which a
page on another site cannot read. API clients send ``Authorization: Bearer <token>`` instead,
which a browser never adds by itself, so they need no CSRF token. In both modes an unsafe request
whose ``Origin`` names another site is refused: the single-user server has no cookie to protect
it, and a page elsewhere must not write to it.

Every refusal on a diary route (401, 403) and every failed sign-in leaves an audit record (who,
what, when; never health content). The store audits its own reads, writes and 404 refusals.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from twitchcheck.diary.accounts import LiveSession
from twitchcheck.diary.service import UserRef
from twitchcheck.errors import ForbiddenError
from twitchcheck.interfaces.rest.clients import client_address
from twitchcheck.interfaces.rest.schemas import LoginIn, RegisterIn, SessionPublic
from twitchcheck.interfaces.rest.state import DiaryState

COOKIE = "twitchcheck_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Caller:
    """The acting user and how the request proved it."""

    user: UserRef
    via: str  # "local", "cookie" or "bearer"
    csrf_token: str | None = None
    token_hash: str | None = None


# -- accounts, for the API routes and the pages alike ------------------------------------------
def need_multi_user(state: DiaryState) -> None:
    if not state.settings.multi_user:
        raise ForbiddenError(
            "This server runs in single-user mode: there are no accounts. "
            "Start it with `twitchcheck serve --multi-user` to use them."
        )


def register(state: DiaryState, request: Request, body: RegisterIn) -> UserRef:
    """A new account. Each registration counts as an attempt of its address, so that taken
    names cannot be probed fast (TooManyAttemptsError over the limit)."""
    address = client_address(request.scope, state.proxies)
    state.limiter.count(f"register:{address}")
    return state.accounts.register(body.username, body.password)


def verify_login(state: DiaryState, request: Request, body: LoginIn) -> UserRef:
    """The user for these credentials, or AuthError; limited per user name and per address."""
    accounts = state.accounts
    address = client_address(request.scope, state.proxies)
    return accounts.sign_in(body.username, body.password, address)


def start_session(state: DiaryState, user: UserRef) -> SessionPublic:
    new = state.accounts.start_session(user, state.settings.session_ttl_minutes)
    return SessionPublic(
        username=new.user.username,
        token=new.token,
        csrf_token=new.csrf_token,
        expires_at=new.expires_at,
    )


def end_session(state: DiaryState, caller: Caller) -> None:
    if caller.token_hash is None:
        return
    state.accounts.end_session(caller.user, caller.token_hash)


def set_session_cookie(response: Response, state: DiaryState, session: SessionPublic) -> None:
    response.set_cookie(
        COOKIE,
        session.token,
        max_age=state.settings.session_ttl_minutes * 60,
        path="/",
        httponly=True,
        samesite="lax",
        secure=state.settings.cookie_secure,
    )


def clear_session_cookie(response: Response, state: DiaryState) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=state.settings.cookie_secure
    )


# -- who is asking --------------------------------------------------------------------------
def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def cross_site(request: Request) -> bool:
    """True when the browser says the request comes from a page on another origin.

    Browsers send ``Sec-Fetch-Site``; it is trusted first, because under this app's
    ``Referrer-Policy: no-referrer`` Chromium sends ``Origin: null`` even on same-origin form
    posts. Without it, an ``Origin`` naming another host (or ``null``) is refused.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False  # not a browser's cross-origin request (curl, an API client, a test)
    if origin == "null":
        return True
    return origin.split("://", 1)[-1].rstrip("/") != request.headers.get("host", "")


def refuse_cross_site(request: Request) -> None:
    """ForbiddenError for an unsafe request from a page on another website."""
    if request.method in UNSAFE and cross_site(request):
        raise ForbiddenError("Requests from other websites are not accepted.")


def refuse(state: DiaryState, request: Request, actor: str, status: int) -> None:
    """Write the HTTP-level refusal to the audit log: who, which route, which path; no content."""
    route = request.scope.get("route")
    template = getattr(route, "path", request.url.path)
    state.store.audit(
        actor[:64],
        f"{request.method} {template}"[:48],
        request.url.path[:96],
        outcome=f"refused {status}",
    )


async def _csrf_from_request(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()  # Starlette keeps it: the route reads the same form later
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def identify(request: Request, state: DiaryState) -> Caller | None:
    """The caller, or None when not signed in. Raises ForbiddenError for a failed CSRF check."""
    refuse_cross_site(request)
    if not state.settings.multi_user:
        return Caller(user=await run_in_threadpool(state.local_user), via="local")
    token = _bearer(request)
    via = "bearer"
    if token is None:
        token = request.cookies.get(COOKIE)
        via = "cookie"
    if not token:
        return None

    def lookup() -> LiveSession | None:  # may open the store: in the thread pool
        return state.accounts.live_session(token)

    found = await run_in_threadpool(lookup)
    if found is None:
        return None
    if via == "cookie" and request.method in UNSAFE:
        sent = await _csrf_from_request(request)
        if not sent or not secrets.compare_digest(sent, found.csrf_token):
            raise ForbiddenError(
                "This request lacks a valid CSRF token (header X-CSRF-Token or form field "
                "csrf_token). Reload the page and try again."
            )
    return Caller(
        user=found.user, via=via, csrf_token=found.csrf_token, token_hash=found.token_hash
    )


__all__ = [
    "COOKIE",
    "CSRF_FIELD",
    "Caller",
    "DiaryState",
    "identify",
]
