"""Accounts of multi-user mode: users with argon2 password hashes, their sign-in sessions, and
the limit on failed sign-ins.

A session's token is stored only as a SHA-256 hash, with an expiry and the session's CSRF token.
Accounts live in the diary's database, next to the entries they own, so they are read and written
here and never by an interface. Every sign-in (accepted, refused or limited), registration, sign-out
and account deletion leaves an audit record (who, what, when; never a password).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.errors import AuthError, RecordError, TooManyAttemptsError
from twitchcheck.storage import models as m
from twitchcheck.storage.db import session_factory

#: The one answer to a wrong user name and to a wrong password: neither is revealed.
WRONG_LOGIN = "Wrong user name or password."
#: Longest user name stored (the column's width); longer sign-in names cannot match.
MAX_USERNAME = 64


@dataclass(frozen=True)
class NewSession:
    """A session just started: the token is known only now (the database keeps its hash)."""

    user: UserRef
    token: str
    csrf_token: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class LiveSession:
    """A session that has not run out, found by its token."""

    user: UserRef
    csrf_token: str
    token_hash: str


def too_many_attempts(wait: int) -> TooManyAttemptsError:
    """The refusal of an attempt over the limit; ``retry_after`` holds the seconds to wait."""
    exc = TooManyAttemptsError(f"Too many sign-in attempts. Please wait {wait} s and try again.")
    exc.retry_after = wait  # type: ignore[attr-defined]
    return exc


@dataclass
class AttemptLimiter:
    """Failed attempts per key (a user name, a client address) in a sliding one-minute window.

    Kept in memory: a restart forgets the attempts, which only ever lets someone try again.
    """

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

    def count(self, key: str) -> None:
        """Count one attempt of ``key`` whatever its outcome; TooManyAttemptsError when ``key``
        is already over the limit (registrations: taken names cannot be probed fast)."""
        if wait := self.retry_after(key):
            raise too_many_attempts(wait)
        self.note_failure(key)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Accounts:
    """The accounts, sessions and audit of sign-ins, in the database of ``store``."""

    def __init__(self, store: DiaryStore, limiter: AttemptLimiter) -> None:
        self.store = store
        self.limiter = limiter
        self.hasher = PasswordHasher()
        self._sessions = session_factory(store.engine)
        # Verified against when the user name is unknown, so both cases take the same time.
        self._dummy_hash: str | None = None

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def register(self, username: str, password: str) -> UserRef:
        """A new account; RecordError when the name is taken."""
        hashed = self.hasher.hash(password)
        with self._sessions.begin() as s:
            row = m.User(username=username, password_hash=hashed)
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                raise RecordError(
                    [("username", "this name is taken; please choose another")]
                ) from None
            user = UserRef(row.id, row.username)
            s.add(
                m.AuditEvent(actor=user.username, action="auth.register", target=None, outcome="ok")
            )
        return user

    def sign_in(self, username: str, password: str, address: str) -> UserRef:
        """The user for these credentials, or AuthError (TooManyAttemptsError over the limit,
        which is counted per user name and per client ``address``)."""
        name = username.strip().lower()[:MAX_USERNAME]
        keys = (f"user:{name}", f"addr:{address}")
        wait = self.limiter.retry_after(*keys)
        if wait:
            self.store.audit(name, "auth.login", None, outcome="limited")
            raise too_many_attempts(wait)
        with self._sessions() as s:
            row = s.scalar(select(m.User).where(m.User.username == name))
            stored = row.password_hash if row is not None else None
        ok = False
        try:
            # The same work for an unknown name as for a wrong password: no enumeration by timing.
            ok = self.hasher.verify(stored or self._dummy(), password) and bool(stored)
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or row is None:
            self.limiter.note_failure(*keys)
            self.store.audit(name, "auth.login", None, outcome="refused")
            raise AuthError(WRONG_LOGIN)
        if self.hasher.check_needs_rehash(stored or ""):
            with self._sessions.begin() as s:
                fresh = s.get(m.User, row.id)
                if fresh is not None:
                    fresh.password_hash = self.hasher.hash(password)
        self.store.audit(row.username, "auth.login", None, outcome="ok")
        return UserRef(row.id, row.username)

    def start_session(self, user: UserRef, ttl_minutes: int) -> NewSession:
        """A session of ``user`` lasting ``ttl_minutes``."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = m.utcnow() + dt.timedelta(minutes=ttl_minutes)
        with self._sessions.begin() as s:
            # Sign-ins that ran out are removed here, so the table does not grow without end.
            s.execute(delete(m.WebSession).where(m.WebSession.expires_at <= m.utcnow()))
            s.add(
                m.WebSession(
                    token_hash=_hash_token(token),
                    user_id=user.id,
                    csrf_token=csrf,
                    expires_at=expires,
                )
            )
        return NewSession(user=user, token=token, csrf_token=csrf, expires_at=expires)

    def live_session(self, token: str) -> LiveSession | None:
        """The live session of ``token``, else None (an expired one is removed)."""
        token_hash = _hash_token(token)
        with self._sessions.begin() as s:
            row = s.get(m.WebSession, token_hash)
            if row is None:
                return None
            if row.expires_at <= m.utcnow():
                s.delete(row)
                return None
            user = s.get(m.User, row.user_id)
            if user is None:
                return None
            return LiveSession(UserRef(user.id, user.username), row.csrf_token, token_hash)

    def end_session(self, user: UserRef, token_hash: str) -> None:
        with self._sessions.begin() as s:
            s.execute(delete(m.WebSession).where(m.WebSession.token_hash == token_hash))
        self.store.audit(user.username, "auth.logout", None)

    def delete_account(self, user: UserRef) -> ds.DeleteReport:
        """Every entry of the user, their sessions and the account itself; what was deleted."""
        report = self.store.delete_all(user)
        with self._sessions.begin() as s:
            s.execute(delete(m.WebSession).where(m.WebSession.user_id == user.id))
            s.execute(delete(m.User).where(m.User.id == user.id))
        self.store.audit(user.username, "auth.delete_account", None)
        return report
