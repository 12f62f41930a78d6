"""Who is asking: the diary store of the app, accounts, sessions, CSRF and sign-in limits.

Single-user mode (the default of ``twitchcheck serve`` on 127.0.0.1): every diary request acts as
the store's local user; there is no sign-in. Multi-user mode (``serve --multi-user``): accounts
with argon2 password hashes; a sign-in creates a session whose token is stored only as a SHA-256
hash, with an expiry. Browsers carry the token in an HttpOnly, SameSite=Lax cookie, and every
unsafe request they make must also carry the session's CSRF token (header ``X-CSRF-Token`` or a
``csrf_token`` form field), which a page on another site cannot read. API clients send
``Authorization: Bearer <token>`` instead, which a browser never adds by itself, so they need no
CSRF token. In both modes an unsafe request whose ``Origin`` names another site is refused: the
single-user server has no cookie to protect it, and a page elsewhere must not write to it.

Every refusal on a diary route (401, 403) and every failed sign-in leaves an audit record (who,
what, when; never health content). The store audits its own reads, writes and 404 refusals.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from twitchcheck.diary.accounts import (
    WRONG_LOGIN,
    Accounts,
    AttemptLimiter,
    LiveSession,
    too_many_attempts,
)
from twitchcheck.diary.database import open_store
from twitchcheck.diary.service import LOCAL_USERNAME, DiaryStore, UserRef
from twitchcheck.errors import AuthError, ForbiddenError, TooManyAttemptsError
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.kb.model import KnowledgeBase

COOKIE = "twitchcheck_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MIN_PASSWORD = 10


# -- the store of one app ----------------------------------------------------------------------
class DiaryState:
    """The app's diary: settings, the store (opened and migrated once), the accounts in it and
    the sign-in limiter.

    The store is opened on first use unless one is given, so that an app that never serves a
    diary request (the existing API tests, a load test) never touches a database.
    ``twitchcheck serve`` opens it before the server starts, so a bad database fails at once.
    """

    def __init__(
        self,
        settings: Settings,
        kb: Callable[[], KnowledgeBase],
        store: DiaryStore | None = None,
    ) -> None:
        self.settings = settings
        self._kb = kb
        self._store = store
        self._accounts: Accounts | None = None
        self._lock = threading.Lock()
        self._local: UserRef | None = None
        self.limiter = AttemptLimiter(settings.login_attempts_per_minute)

    @property
    def store(self) -> DiaryStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_store(self.settings.database_url, self._kb())
        return self._store

    @property
    def accounts(self) -> Accounts:
        """The accounts in the store (multi-user mode); opens the store on first use."""
        if self._accounts is None:
            store = self.store
            with self._lock:
                if self._accounts is None:
                    self._accounts = Accounts(store, self.limiter)
        return self._accounts

    def local_user(self) -> UserRef:
        if self._local is None:
            self._local = self.store.local_user()
        return self._local


def diary_state(request: Request) -> DiaryState:
    state: DiaryState = request.app.state.diary
    return state


def get_store(request: Request) -> DiaryStore:
    """The app's store (sync: the first call may open and migrate the database)."""
    return diary_state(request).store


StateDep = Annotated[DiaryState, Depends(diary_state)]
StoreDep = Annotated[DiaryStore, Depends(get_store)]


def client_address(request: Request, settings: Settings) -> str:
    if settings.trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "unknown"


# -- schemas ------------------------------------------------------------------------------------
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.-]{3,64}$"),
    AfterValidator(str.lower),  # names are not case-sensitive
]


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username = Field(
        description="3 to 64 letters, digits, '.', '_' or '-' (not case-sensitive)."
    )
    password: str = Field(
        max_length=1024,
        description=f"At least {MIN_PASSWORD} characters.",
        json_schema_extra={"minLength": MIN_PASSWORD},
    )

    @field_validator("password")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if len(value) < MIN_PASSWORD:
            raise ValueError(
                f"must be at least {MIN_PASSWORD} characters long; a few unrelated words "
                "make a strong password that is easy to remember"
            )
        return value

    @field_validator("username")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value == LOCAL_USERNAME:
            raise ValueError(f"'{LOCAL_USERNAME}' is reserved; please choose another name")
        return value


class LoginIn(BaseModel):
    # Any length is accepted: a malformed name or a short password is simply wrong, never a hint.
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class SessionPublic(BaseModel):
    username: str
    token: str = Field(description="Send as 'Authorization: Bearer <token>' (API clients).")
    csrf_token: str = Field(description="Send as 'X-CSRF-Token' with cookie-signed-in writes.")
    expires_at: dt.datetime


class MePublic(BaseModel):
    username: str
    multi_user: bool
    csrf_token: str | None = Field(
        default=None, description="The session's CSRF token (cookie sign-in only)."
    )


class AccountDeleted(BaseModel):
    username: str
    episodes: int
    checkins: int
    assessments: int


# -- sessions -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Caller:
    """The acting user and how the request proved it."""

    user: UserRef
    via: str  # "local", "cookie" or "bearer"
    csrf_token: str | None = None
    token_hash: str | None = None


def register(state: DiaryState, body: RegisterIn) -> UserRef:
    return state.accounts.register(body.username, body.password)


def verify_login(state: DiaryState, request: Request, body: LoginIn) -> UserRef:
    """The user for these credentials, or AuthError; limited per user name and per address."""
    accounts = state.accounts
    return accounts.sign_in(body.username, body.password, client_address(request, state.settings))


def _too_many(wait: int) -> TooManyAttemptsError:
    return too_many_attempts(wait)


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


def delete_account(state: DiaryState, caller: Caller) -> AccountDeleted:
    """Every entry of the user, their sessions and the account itself."""
    report = state.accounts.delete_account(caller.user)
    return AccountDeleted(username=caller.user.username, **report.model_dump())


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


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _cross_site(request: Request) -> bool:
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
    if request.method in UNSAFE and _cross_site(request):
        raise ForbiddenError("Requests from other websites are not accepted.")
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
    user, csrf, token_hash = found.user, found.csrf_token, found.token_hash
    if via == "cookie" and request.method in UNSAFE:
        sent = await _csrf_from_request(request)
        if not sent or not secrets.compare_digest(sent, csrf):
            raise ForbiddenError(
                "This request lacks a valid CSRF token (header X-CSRF-Token or form field "
                "csrf_token). Reload the page and try again."
            )
    return Caller(user=user, via=via, csrf_token=csrf, token_hash=token_hash)


async def require_caller(request: Request, state: StateDep) -> Caller:
    """The signed-in caller; 401 when not signed in, 403 on a failed CSRF check (both audited)."""
    try:
        caller = await identify(request, state)
    except ForbiddenError:
        await run_in_threadpool(refuse, state, request, "anonymous", 403)
        raise
    if caller is None:
        await run_in_threadpool(refuse, state, request, "anonymous", 401)
        raise AuthError("Please sign in first (your session may have expired).")
    return caller


CallerDep = Annotated[Caller, Depends(require_caller)]


async def current_user(caller: CallerDep) -> UserRef:
    return caller.user


UserDep = Annotated[UserRef, Depends(current_user)]


def _need_multi_user(state: DiaryState) -> None:
    if not state.settings.multi_user:
        raise ForbiddenError(
            "This server runs in single-user mode: there are no accounts. "
            "Start it with `twitchcheck serve --multi-user` to use them."
        )


# -- routes ---------------------------------------------------------------------------------
router = APIRouter(prefix="/api/v1/auth", tags=["accounts"])


@router.post("/register", response_model=SessionPublic, status_code=201)
def register_route(
    body: RegisterIn, request: Request, response: Response, state: StateDep
) -> SessionPublic:
    """Create an account and sign in (sets the session cookie; returns the token too)."""
    _need_multi_user(state)
    if request.method in UNSAFE and _cross_site(request):
        raise ForbiddenError("Requests from other websites are not accepted.")
    address = f"register:{client_address(request, state.settings)}"
    wait = state.limiter.retry_after(address)
    if wait:
        raise _too_many(wait)
    # Each registration counts as an attempt of its address: taken names cannot be probed fast.
    state.limiter.note_failure(address)
    user = register(state, body)
    session = start_session(state, user)
    set_session_cookie(response, state, session)
    return session


@router.post("/login", response_model=SessionPublic)
def login_route(
    body: LoginIn, request: Request, response: Response, state: StateDep
) -> SessionPublic:
    """Sign in. A wrong name and a wrong password get the same 401."""
    _need_multi_user(state)
    if _cross_site(request):
        raise ForbiddenError("Requests from other websites are not accepted.")
    user = verify_login(state, request, body)
    session = start_session(state, user)
    set_session_cookie(response, state, session)
    return session


@router.post("/logout", status_code=204)
def logout_route(caller: CallerDep, state: StateDep) -> Response:
    """End this session (the cookie is cleared)."""
    _need_multi_user(state)
    end_session(state, caller)
    response = Response(status_code=204)
    clear_session_cookie(response, state)
    return response


@router.get("/me", response_model=MePublic)
def me_route(caller: CallerDep, state: StateDep) -> MePublic:
    return MePublic(
        username=caller.user.username,
        multi_user=state.settings.multi_user,
        csrf_token=caller.csrf_token if caller.via == "cookie" else None,
    )


@router.delete("/account", response_model=AccountDeleted)
def delete_account_route(caller: CallerDep, state: StateDep, response: Response) -> Any:
    """Delete the account with all its diary data. This cannot be undone."""
    _need_multi_user(state)
    report = delete_account(state, caller)
    clear_session_cookie(response, state)
    return report


def too_many_headers(exc: Exception) -> dict[str, str]:
    wait = getattr(exc, "retry_after", None)
    return {"Retry-After": str(wait)} if isinstance(wait, int) else {}


__all__ = [
    "COOKIE",
    "CSRF_FIELD",
    "WRONG_LOGIN",
    "Caller",
    "CallerDep",
    "DiaryState",
    "StoreDep",
    "UserDep",
    "identify",
    "open_store",
    "router",
]
