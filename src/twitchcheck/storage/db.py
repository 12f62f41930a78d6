"""Database engines for the diary.

SQLite in the user's data folder is the default (WAL journal, ``synchronous=FULL`` so that a
commit that returned is on disk, foreign keys on); ``TWITCHCHECK_DATABASE_URL`` selects another
database, e.g. ``postgresql://user:pass@host/dbname``. The schema is created and upgraded by the
Alembic migrations shipped in :mod:`twitchcheck.storage.migrations`, never by ``create_all``, so a
database made by an older release is upgraded in place. Setting up or upgrading the schema is one
transaction under a lock (SQLite ``BEGIN EXCLUSIVE``, PostgreSQL an advisory lock): a crash
leaves the schema as it was, and processes opening a new diary at once wait for each other.
"""

from __future__ import annotations

import os
import sqlite3
import time
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from twitchcheck.errors import StorageError

ENV_URL = "TWITCHCHECK_DATABASE_URL"
ENV_DATA_DIR = "TWITCHCHECK_DATA_DIR"


def data_dir() -> Path:
    """Where the diary lives by default: ``$TWITCHCHECK_DATA_DIR``, else the XDG data folder."""
    explicit = os.environ.get(ENV_DATA_DIR)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "twitchcheck"


def database_url(url: str | None = None) -> str:
    """The URL in force: the argument, else ``$TWITCHCHECK_DATABASE_URL``, else SQLite."""
    chosen = url or os.environ.get(ENV_URL)
    if chosen:
        return _normalise(chosen)
    return f"sqlite:///{data_dir() / 'diary.sqlite3'}"


def _normalise(url: str) -> str:
    # "postgresql://" is what people (and libpq) write; we ship psycopg 3, not psycopg2.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


#: How long a connection waits for a lock another connection holds (milliseconds).
BUSY_TIMEOUT_MS = 10_000


def _switch_to_wal(cursor: Any) -> None:
    # WAL is a property of the file, kept once set: most connections only read it. Switching a
    # brand-new file needs an exclusive lock, and SQLite answers "database is locked" at once,
    # without its busy handler, when another process is switching the same new file (four
    # processes opening a new diary together): so wait and try again, up to the busy timeout.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    _switch_to_wal(cursor)
    # FULL: a committed transaction survives a crash of the process and of the machine.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


#: The driver's own words for a failure of the storage itself, and what to tell the person.
_PLAIN = (
    (
        # First: PostgreSQL's deadlock report says "blocked by process", which contains "locked".
        ("deadlock detected",),
        "Two changes to the diary got in each other's way and this one was stopped: nothing was "
        "stored. Try again.",
    ),
    (
        ("locked", "busy", "lock timeout"),
        "The diary database is busy (another program holds "
        "it) and did not answer in time; nothing was stored. Try again.",
    ),
    (
        ("disk is full", "disk full", "no space"),
        "The disk holding the diary is full; nothing was stored.",
    ),
    (
        ("readonly", "read-only", "read only"),
        "The diary database is in a read-only location; nothing can be stored there.",
    ),
    (
        ("not a database", "malformed"),
        "The file at the diary's location is not a diary database, or it is damaged.",
    ),
    (
        ("unable to open",),
        "The diary database file cannot be opened (check that its folder "
        "exists and can be written).",
    ),
    (
        ("connect", "connection", "server closed", "terminating"),
        "The diary database server cannot be reached.",
    ),
)


def plain_storage_message(exc: BaseException) -> str:
    """What went wrong with the storage, in plain words. Built only from the kind of failure
    (never from the statement or its parameters, which hold the person's health data)."""
    said = str(getattr(exc, "orig", None) or exc).lower()
    for words, message in _PLAIN:
        if any(w in said for w in words):
            return message
    return f"The diary database failed ({type(getattr(exc, 'orig', None) or exc).__name__})."


def _storage_failure(context: ExceptionContext) -> None:
    # The database itself failing (locked, full, read-only, not a database, unreachable) is
    # not a bug: it becomes a StorageError (CLI exit 4, HTTP 503). Integrity and programming
    # errors stay what they are.
    exc = context.sqlalchemy_exception
    if isinstance(exc, OperationalError) or type(exc) is DatabaseError:
        raise StorageError(plain_storage_message(context.original_exception)) from None


def make_engine(url: str | None = None, *, echo: bool = False) -> Engine:
    """An engine for ``url`` (see :func:`database_url`); creates the SQLite folder if needed.

    SQL parameters are hidden from every message and log line (they are diary entries), and a
    failure of the database itself is raised as :class:`StorageError`.
    """
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as exc:
        raise StorageError(f"The database URL is not valid: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"Cannot create the diary's folder {folder}: {exc.strerror}."
                ) from None
        engine = create_engine(resolved, echo=echo, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(resolved, echo=echo, pool_pre_ping=True, hide_parameters=True)
    else:
        raise StorageError(
            f"Unsupported database '{parsed.get_backend_name()}': use SQLite or PostgreSQL."
        )
    event.listen(engine, "handle_error", _storage_failure)
    return engine


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    script_dir = resources.files("twitchcheck.storage") / "migrations"
    cfg.set_main_option("script_location", str(script_dir))
    cfg.attributes["engine"] = engine
    return cfg


#: The key of the PostgreSQL advisory lock held while the schema is set up or upgraded.
SCHEMA_LOCK_KEY = 0x7477_6368  # "twch"


def _upgrade(engine: Engine, connection: Connection) -> None:
    from alembic import command

    cfg = _alembic_config(engine)
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


def _at_head(engine: Engine) -> bool:
    """Whether the schema is already the newest (read without taking any lock)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(_alembic_config(engine)).get_heads())
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads()) == heads


def _migrate_sqlite(engine: Engine) -> None:
    # Python's sqlite3 runs DDL outside any transaction unless one was opened explicitly, so a
    # crash between two CREATE TABLEs used to leave half a schema ("table audit already
    # exists" at every later open). Here the driver opens nothing itself (AUTOCOMMIT) and the
    # whole upgrade runs in one BEGIN EXCLUSIVE: atomic (a crash rolls it back) and a lock
    # (a second process waits on busy_timeout, then finds the schema at head).
    with engine.connect() as raw:
        conn = raw.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("BEGIN EXCLUSIVE")
        try:
            _upgrade(engine, conn)
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise
        conn.exec_driver_sql("COMMIT")


def _migrate_postgresql(engine: Engine) -> None:
    # PostgreSQL's DDL is transactional; the advisory lock (released with the transaction)
    # makes concurrent first opens wait for each other instead of racing on CREATE TABLE.
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        _upgrade(engine, conn)


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest migration (idempotent), atomically and under a lock:
    a crash leaves the schema as it was, and concurrent first opens wait for each other."""
    try:
        if _at_head(engine):
            return  # the usual case: no lock, so an open never waits for another's long write
        if engine.dialect.name == "sqlite":
            _migrate_sqlite(engine)
        else:
            _migrate_postgresql(engine)
    except OperationalError as exc:
        raise StorageError(plain_storage_message(exc)) from None


def schema_tables(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
