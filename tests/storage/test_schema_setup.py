"""Issue 18 #4/#5: setting up or upgrading the schema is atomic, resumable and safe when
several processes open a new diary at once (SQLite and PostgreSQL).

- a failure in the middle of the first open leaves a database the next open sets up;
- SIGKILL at random points of the first open, and of an upgrade from revision 0001, at least
  50 times each inside the migration: every later open works and ends at the newest schema;
- four processes opening a new diary at the same moment all succeed.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from twitchcheck.storage import models as m
from twitchcheck.storage.db import make_engine, migrate, schema_tables

SEED = 20261206
KILLS_IN_FLIGHT = 50
MAX_RUNS = 400
TABLES = sorted([*m.Base.metadata.tables, "alembic_version"])


def _head(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _opens_at_head(url: str) -> None:
    """A fresh open works, and the schema is whole and at the newest revision."""
    engine = make_engine(url)
    try:
        migrate(engine)
        assert schema_tables(engine) == TABLES
        assert _head(engine) == "0003"
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM audit")).scalar_one()
    finally:
        engine.dispose()


def _empty(url: str) -> None:
    """Back to a database without any table (a new diary)."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        return
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


class _Crash(Exception):
    pass


def test_a_first_open_failing_halfway_is_set_up_by_the_next_open(db_url: str) -> None:
    engine = make_engine(db_url)
    created = 0

    def fail_at_the_third_table(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal created
        if statement.lstrip().upper().startswith("CREATE TABLE"):
            created += 1
            if created == 3:
                raise _Crash

    event.listen(engine, "before_cursor_execute", fail_at_the_third_table)
    with pytest.raises(_Crash):
        migrate(engine)
    engine.dispose()
    assert created == 3
    _opens_at_head(db_url)


def _upgrade_to_0001(url: str) -> None:
    from alembic import command

    from twitchcheck.storage.db import _alembic_config

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = _alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
    finally:
        engine.dispose()


def _kill_runs(url: str, prepare: Callable[[], None], tmp_path: Path) -> tuple[int, int]:
    """Fork a process that migrates, SIGKILL it after a random delay, check the next open."""
    rng = random.Random(SEED)
    in_flight = runs = 0
    _opens_at_head(url)  # load alembic and the driver once: a forked child starts at once
    while in_flight < KILLS_IN_FLIGHT and runs < MAX_RUNS:
        runs += 1
        prepare()
        log = tmp_path / f"open{runs}.log"
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                with open(log, "w", buffering=1, encoding="utf-8") as fh:
                    fh.write("S\n")
                    migrate(make_engine(url))
                    fh.write("A\n")
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.12))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        lines = log.read_text(encoding="utf-8").split("\n")[:-1] if log.exists() else []
        if lines == ["S"]:
            in_flight += 1
        _opens_at_head(url)
    return runs, in_flight


@pytest.mark.slow
def test_sigkill_during_the_first_open_never_locks_the_diary(db_url: str, tmp_path: Path) -> None:
    runs, in_flight = _kill_runs(db_url, lambda: _empty(db_url), tmp_path)
    assert in_flight >= KILLS_IN_FLIGHT, f"only {in_flight} of {runs} kills inside the open"


@pytest.mark.slow
def test_sigkill_during_an_upgrade_never_locks_the_diary(db_url: str, tmp_path: Path) -> None:
    def at_0001() -> None:
        _empty(db_url)
        _upgrade_to_0001(db_url)

    runs, in_flight = _kill_runs(db_url, at_0001, tmp_path)
    assert in_flight >= KILLS_IN_FLIGHT, f"only {in_flight} of {runs} kills inside the upgrade"


def test_four_processes_opening_a_new_diary_at_once_all_succeed(
    db_url: str, tmp_path: Path
) -> None:
    from twitchcheck.diary.service import open_store
    from twitchcheck.kb.loader import load_kb

    kb = load_kb()
    _opens_at_head(db_url)  # warm the imports, then start from nothing again
    for round_ in range(5):
        _empty(db_url)
        go = time.monotonic() + 0.3
        pids = []
        for n in range(4):
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    time.sleep(max(0.0, go - time.monotonic()))  # all start together
                    store = open_store(db_url, kb)
                    store.local_user()
                    code = 0
                except BaseException as exc:
                    (tmp_path / f"err{round_}-{n}").write_text(repr(exc), encoding="utf-8")
                finally:
                    os._exit(code)
            pids.append(pid)
        codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        errors = [p.read_text(encoding="utf-8")[:300] for p in sorted(tmp_path.glob("err*"))]
        assert codes == [0, 0, 0, 0], errors
        _opens_at_head(db_url)


def test_opening_a_diary_at_head_does_not_wait_for_a_long_write(tmp_path: Path) -> None:
    """The set-up lock is taken only when there is something to set up: an open of a diary
    already at the newest schema reads and goes on, even while another connection writes."""
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    _opens_at_head(url)
    writer = make_engine(url)
    with writer.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # another process's long import
        started = time.monotonic()
        _opens_at_head(url)
        assert time.monotonic() - started < 2.0
        conn.exec_driver_sql("ROLLBACK")
    writer.dispose()


def test_switching_a_new_file_to_wal_waits_for_another_writer(tmp_path: Path) -> None:
    """SQLite answers "database is locked" at once, without its busy handler, when a connection
    switches a file to WAL while another holds a write lock on it (what four processes opening a
    new diary together ran into, now and then): the switch waits and tries again instead."""
    path = tmp_path / "d.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # rollback mode
    other.execute("CREATE TABLE held (x INTEGER)")
    other.execute("BEGIN")
    other.execute("INSERT INTO held VALUES (1)")  # a write lock, held for a moment
    release = threading.Timer(0.3, lambda: other.execute("ROLLBACK"))
    release.start()
    try:
        engine = make_engine(f"sqlite:///{path}")
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        engine.dispose()
    finally:
        release.join()
        other.close()
