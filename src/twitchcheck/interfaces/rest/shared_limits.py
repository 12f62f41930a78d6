"""Rate limits and sign-in throttles that every worker sees: their state in PostgreSQL.

One process (``twitchcheck serve``) keeps its limits in memory, which is fastest. With N worker
processes (``serve --workers N``), or N machines behind a load balancer, limits in memory would be
multiplied by N, so their state lives in two small UNLOGGED tables of the diary's PostgreSQL
database (state that a crash may lose without harm: losing it only lets someone try again):

* ``twitchcheck_rate_buckets``: one token bucket per client address, updated by one atomic
  ``INSERT ... ON CONFLICT DO UPDATE`` on the database's clock (the workers' clocks never mix);
* ``twitchcheck_attempts``: failed sign-ins per key in a sliding one-minute window.

Keys are stored as SHA-256 digests: the tables hold no address or user name.

The limiter **fails open**: when the database does not answer (in time), the request goes on,
limited only by this process's own in-memory limiter, and the store is left alone for a few
seconds so that a database outage adds no wait to every request. The tables are made outside the
diary's migrations (they hold no diary data) by :meth:`SharedLimits.ensure`, on first use.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, create_engine, text

from twitchcheck.diary.accounts import AttemptLimiter

log = logging.getLogger("twitchcheck.rest")

BUCKETS = "twitchcheck_rate_buckets"
ATTEMPTS = "twitchcheck_attempts"
#: After a failure, the store is not asked again for this many seconds (fail open, fast).
BACK_OFF_SECONDS = 5.0
#: Idle buckets and old attempts are swept about once every this many calls.
SWEEP_EVERY = 500

_NOW = "extract(epoch from statement_timestamp())"
_REFILLED = f"LEAST(:capacity, b.tokens + GREATEST(0, {_NOW} - b.updated) * :rate)"
_TAKE = text(
    f"INSERT INTO {BUCKETS} AS b (key, tokens, updated, allowed) "
    f"VALUES (:key, :capacity - 1, {_NOW}, true) "
    "ON CONFLICT (key) DO UPDATE SET "
    f"tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END, "
    f"allowed = {_REFILLED} >= 1, updated = {_NOW} "
    "RETURNING allowed, tokens"
)
_COUNT = text(
    f"SELECT count(*), min(at), {_NOW} FROM {ATTEMPTS} WHERE key = :key AND at > {_NOW} - :window"
)
_NOTE = text(f"INSERT INTO {ATTEMPTS} (key, at) VALUES (:key, {_NOW})")
_SWEEP_BUCKETS = text(f"DELETE FROM {BUCKETS} WHERE updated < {_NOW} - 600")
_SWEEP_ATTEMPTS = text(f"DELETE FROM {ATTEMPTS} WHERE at < {_NOW} - 600")
_TABLES = (
    f"CREATE UNLOGGED TABLE IF NOT EXISTS {BUCKETS} (key text PRIMARY KEY, "
    "tokens double precision NOT NULL, updated double precision NOT NULL, "
    "allowed boolean NOT NULL)",
    f"CREATE UNLOGGED TABLE IF NOT EXISTS {ATTEMPTS} (key text NOT NULL, "
    "at double precision NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {ATTEMPTS}_key_at ON {ATTEMPTS} (key, at)",
)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class SharedLimits:
    """The shared state, with its own small connection pool and short timeouts."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        from twitchcheck.diary.databases import diary_database_url

        self.engine = engine or create_engine(
            diary_database_url(url),
            pool_size=4,
            max_overflow=4,
            pool_timeout=1,
            pool_pre_ping=True,
            # A limiter that waits long is worse than none: 2 s to connect, 1 s per statement.
            connect_args={"connect_timeout": 2, "options": "-c statement_timeout=1000"},
        )
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._calls = 0
        self._warned = 0.0
        self._ready = False

    def ensure(self) -> None:
        """Make the tables (concurrent first calls may race: the loser's error is harmless, the
        next call finds the tables)."""
        with self.engine.begin() as conn:
            for statement in _TABLES:
                conn.execute(text(statement))
        self._ready = True

    def _run(self, work: Any) -> Any:
        """``work(conn)`` in a transaction, or None when the store is down (fail open)."""
        if time.monotonic() < self._down_until:
            return None
        try:
            if not self._ready:
                self.ensure()
            with self.engine.begin() as conn:
                result = work(conn)
                self._calls += 1
                if self._calls % SWEEP_EVERY == 0:
                    conn.execute(_SWEEP_BUCKETS)
                    conn.execute(_SWEEP_ATTEMPTS)
                return result
        except Exception as exc:  # any failure of the store: serve, do not fail
            now = time.monotonic()
            with self._lock:
                self._down_until = now + BACK_OFF_SECONDS
                if now - self._warned > 60:
                    self._warned = now
                    log.warning(
                        "shared limits unavailable (%s): each process limits on its own",
                        type(exc).__name__,
                    )
            return None

    def take(self, key: str, capacity: float, rate: float) -> float | None:
        """Take one token of ``key``'s bucket: 0.0 when allowed, else the seconds to wait;
        None when the store is down."""

        def work(conn: Any) -> float:
            row = conn.execute(
                _TAKE, {"key": _digest(key), "capacity": capacity, "rate": rate}
            ).one()
            allowed, tokens = bool(row[0]), float(row[1])
            return 0.0 if allowed else max(1e-3, (1.0 - tokens) / rate)

        result: float | None = self._run(work)
        return result

    def retry_after(self, keys: tuple[str, ...], per_minute: int, window: float) -> int | None:
        """Seconds to wait when any key has ``per_minute`` failures in the window, else 0;
        None when the store is down."""

        def work(conn: Any) -> int:
            wait = 0.0
            for key in keys:
                count, oldest, now = conn.execute(
                    _COUNT, {"key": _digest(key), "window": window}
                ).one()
                if int(count) >= per_minute and oldest is not None:
                    wait = max(wait, float(oldest) + window - float(now))
            return max(1, int(wait) + 1) if wait > 0 else 0

        result: int | None = self._run(work)
        return result

    def note_failure(self, keys: tuple[str, ...]) -> bool:
        """Count one failure of each key; False when the store is down."""

        def work(conn: Any) -> bool:
            for key in keys:
                conn.execute(_NOTE, {"key": _digest(key)})
            return True

        return bool(self._run(work))


@dataclass
class SharedAttemptLimiter(AttemptLimiter):
    """The sign-in throttle of :class:`AttemptLimiter`, counted in the shared store; this
    process's own memory counts too, and alone answers while the store is down."""

    shared: SharedLimits | None = field(default=None, repr=False)

    def retry_after(self, *keys: str) -> int:
        local = super().retry_after(*keys)
        if self.shared is None:
            return local
        shared = self.shared.retry_after(keys, self.per_minute, self.window)
        return local if shared is None else max(local, shared)

    def note_failure(self, *keys: str) -> None:
        super().note_failure(*keys)
        if self.shared is not None:
            self.shared.note_failure(keys)
