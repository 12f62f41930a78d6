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
import hashlib
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
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
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from twitchcheck.diary.service import LOCAL_USERNAME, DiaryStore, UserRef
from twitchcheck.errors import (
    AuthError,
    ForbiddenError,
    RecordError,
    TooManyAttemptsError,
)
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.storage import models as m
from twitchcheck.storage.db import make_engine, migrate, session_factory

COOKIE = "twitchcheck_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MIN_PASSWORD = 10
WRONG_LOGIN = "Wrong user name or password."


# -- the store of one app ----------------------------------------------------------------------
class DiaryState:
    """The app's diary: settings, the store (opened and migrated once) and the sign-in limiter.

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
        self._lock = threading.Lock()
        self._local: UserRef | None = None
        self.limiter = AttemptLimiter(settings.login_attempts_per_minute)
        self.hasher = PasswordHasher()
        # Verified against when the user name is unknown, so both cases take the same time.
        self._dummy_hash: str | None = None

    @property
    def store(self) -> DiaryStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_store(self.settings.database_url, self._kb())
        return self._store

    def local_user(self) -> UserRef:
        if self._local is None:
            self._local = self.store.local_user()
        return self._local

    def dummy_hash(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash


def open_store(url: str | None, kb: KnowledgeBase) -> DiaryStore:
    """One engine for the app, with the schema migrated to the newest version."""
    engine = make_engine(url)
    migrate(engine)
    return DiaryStore(engine, kb)


def diary_state(request: Request) -> DiaryState:
    state: DiaryState = request.app.state.diary
    return state


def get_store(request: Request) -> DiaryStore:
    """The app's store (sync: the first call may open and migrate the database)."""
    return diary_state(request).store


StateDep = Annotated[DiaryState, Depends(diary_state)]
StoreDep = Annotated[DiaryStore, Depends(get_store)]


# -- sign-in attempt limits ---------------------------------------------------------------------
@dataclass
class AttemptLimiter:
    """Failed attempts per key (a user name, a client address) in a sliding one-minute window."""

    per_minute: int
    window: float = 60.0
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, *keys: str) -> int:
        """Seconds to wait when any key is over the limit, else 0."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._seen.get(key)
                if not times:
                    continue
                while times and times[0] <= now - self.window:
                    times.popleft()
                if len(times) >= self.per_minute:
                    wait = max(wait, times[0] + self.window - now)
        return max(1, int(wait) + 1) if wait > 0 else 0

    def note_failure(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._seen.setdefault(key, deque()).append(now)
            if len(self._seen) > 10_000:  # forget idle keys so memory stays bounded
                cutoff = now - self.window
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > cutoff}


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


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def register(state: DiaryState, body: RegisterIn) -> UserRef:
    store = state.store
    hashed = state.hasher.hash(body.password)
    with session_factory(store.engine).begin() as s:
        row = m.User(username=body.username, password_hash=hashed)
        s.add(row)
        try:
            s.flush()
        except IntegrityError:
            raise RecordError([("username", "this name is taken; please choose another")]) from None
        user = UserRef(row.id, row.username)
        s.add(m.AuditEvent(actor=user.username, action="auth.register", target=None, outcome="ok"))
    return user


def verify_login(state: DiaryState, request: Request, body: LoginIn) -> UserRef:
    """The user for these credentials, or AuthError; limited per user name and per address."""
    store = state.store
    name = body.username.strip().lower()[:64]
    keys = (f"user:{name}", f"addr:{client_address(request, state.settings)}")
    wait = state.limiter.retry_after(*keys)
    if wait:
        store.audit(name, "auth.login", None, outcome="limited")
        raise _too_many(wait)
    with session_factory(store.engine)() as s:
        row = s.scalar(select(m.User).where(m.User.username == name))
        stored = row.password_hash if row is not None else None
    ok = False
    try:
        # The same work for an unknown name as for a wrong password: no enumeration by timing.
        ok = state.hasher.verify(stored or state.dummy_hash(), body.password) and bool(stored)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None:
        state.limiter.note_failure(*keys)
        store.audit(name, "auth.login", None, outcome="refused")
        raise AuthError(WRONG_LOGIN)
    if state.hasher.check_needs_rehash(stored or ""):
        with session_factory(store.engine).begin() as s:
            fresh = s.get(m.User, row.id)
            if fresh is not None:
                fresh.password_hash = state.hasher.hash(body.password)
    store.audit(row.username, "auth.login", None, outcome="ok")
    return UserRef(row.id, row.username)


def _too_many(wait: int) -> TooManyAttemptsError:
    exc = TooManyAttemptsError(f"Too many sign-in attempts. Please wait {wait} s and try again.")
    exc.retry_after = wait  # type: ignore[attr-defined]
    return exc


def start_session(state: DiaryState, user: UserRef) -> SessionPublic:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = m.utcnow() + dt.timedelta(minutes=state.settings.session_ttl_minutes)
    with session_factory(state.store.engine).begin() as s:
        # Sign-ins that ran out are removed here, so the table does not grow without end.
        s.execute(delete(m.WebSession).where(m.WebSession.expires_at <= m.utcnow()))
        s.add(
            m.WebSession(
                token_hash=_hash_token(token), user_id=user.id, csrf_token=csrf, expires_at=expires
            )
        )
    return SessionPublic(username=user.username, token=token, csrf_token=csrf, expires_at=expires)


def end_session(state: DiaryState, caller: Caller) -> None:
    if caller.token_hash is None:
        return
    with session_factory(state.store.engine).begin() as s:
        s.execute(delete(m.WebSession).where(m.WebSession.token_hash == caller.token_hash))
    state.store.audit(caller.user.username, "auth.logout", None)


def delete_account(state: DiaryState, caller: Caller) -> AccountDeleted:
    """Every entry of the user, their sessions and the account itself."""
    report = state.store.delete_all(caller.user)
    with session_factory(state.store.engine).begin() as s:
        s.execute(delete(m.WebSession).where(m.WebSession.user_id == caller.user.id))
        s.execute(delete(m.User).where(m.User.id == caller.user.id))
    state.store.audit(caller.user.username, "auth.delete_account", None)
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


def _lookup(state: DiaryState, token: str) -> tuple[UserRef, str, str] | None:
    """(user, csrf token, token hash) for a live session, else None (an expired one is removed)."""
    token_hash = _hash_token(token)
    with session_factory(state.store.engine).begin() as s:
        row = s.get(m.WebSession, token_hash)
        if row is None:
            return None
        if row.expires_at <= m.utcnow():
            s.delete(row)
            return None
        user = s.get(m.User, row.user_id)
        if user is None:
            return None
        return UserRef(user.id, user.username), row.csrf_token, token_hash


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
    found = await run_in_threadpool(_lookup, state, token)
    if found is None:
        return None
    user, csrf, token_hash = found
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
    "Caller",
    "CallerDep",
    "DiaryState",
    "StoreDep",
    "UserDep",
    "identify",
    "open_store",
    "router",
]
