"""Issue 18 #5: two imports of the same rows at the same time both succeed, and every row is
stored once (before: a unique-key error, an internal error, in one of them); two large imports
at once, into one diary or into two users' diaries, both succeed (PostgreSQL: 'deadlock
detected' in one diary before imports of one user took turns)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from twitchcheck.diary.accounts import Accounts, AttemptLimiter
from twitchcheck.diary.exchange import import_csv
from twitchcheck.diary.service import UserRef, open_store
from twitchcheck.kb.loader import load_kb

ROWS = 2_000


def _file(path: Path) -> Path:
    start = dt.datetime(2025, 1, 1, 8, 0)
    lines = ["occurred_at,locations,duration_seconds,intensity"]
    for n in range(ROWS):
        when = start + dt.timedelta(hours=7 * n)
        lines.append(f"{when.isoformat()},twitch_nose;twitch_eyelid,{1 + n % 50},{n % 11}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _race(
    db_url: str,
    tmp_path: Path,
    jobs: list[tuple[UserRef, Path]],
    round_: int,
    batch: int | None = None,
) -> None:
    """Run each ``(user, file)`` import in its own process, all starting at the same moment
    (with the store's import ``batch`` when given); fail with the children's errors unless
    every one succeeded."""
    kb = load_kb()
    go = time.monotonic() + 0.5
    pids = []
    for n, (user, path) in enumerate(jobs):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                mine = open_store(db_url, kb)
                if batch is not None:
                    mine.import_batch = batch
                time.sleep(max(0.0, go - time.monotonic()))
                import_csv(mine, user, path)
                code = 0
            except BaseException as exc:
                (tmp_path / f"err{round_}-{n}").write_text(repr(exc)[:500], "utf-8")
            finally:
                os._exit(code)
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    errors = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("err*"))]
    assert codes == [0] * len(jobs), errors


def test_two_imports_of_the_same_rows_at_once_store_each_row_once(
    db_url: str, tmp_path: Path
) -> None:
    kb = load_kb()
    store = open_store(db_url, kb)
    user = store.local_user()
    path = _file(tmp_path / "episodes.csv")
    for round_ in range(3):
        _race(db_url, tmp_path, [(user, path), (user, path)], round_)
        assert store.count_episodes(user) == ROWS
        store.delete_all(user)
    store.engine.dispose()


#: Rows of each large import, and the import batch its store uses: several batches each, so
#: the two transactions overlap for long and touch many aggregate rows each.
LARGE_ROWS = 6_000
LARGE_BATCH = 1_000


def _large_file(path: Path, seed: int) -> Path:
    """Rows over the same 250 days, the first file oldest first and the second newest first
    (as exported, or as sorted in a spreadsheet), so that the two imports' batches update the
    same days' aggregates in opposite orders."""
    start = dt.datetime(2024, 1, 1, 6, 0)
    places = ("twitch_nose", "twitch_eyelid", "twitch_upper_lip", "twitch_cheek_mouth")
    order = range(LARGE_ROWS) if seed % 2 else reversed(range(LARGE_ROWS))
    lines = ["occurred_at,locations,duration_seconds,intensity,caffeine_cups,note"]
    for n in order:
        when = start + dt.timedelta(minutes=60 * n + seed)
        where = ";".join(places[: 1 + n % len(places)])
        lines.append(f"{when.isoformat()},{where},{1 + n % 50},{n % 11},{n % 6},file {seed}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_large_imports_into_one_diary_at_once_both_succeed(db_url: str, tmp_path: Path) -> None:
    """Issue 18 #5: two large imports of different files into one diary at the same moment
    (PostgreSQL: 'deadlock detected' on the day aggregates, before imports took turns). Both
    succeed, and every row of both files is stored once."""
    store = open_store(db_url, load_kb())
    user = store.local_user()
    files = [_large_file(tmp_path / f"file{n}.csv", seed=n + 1) for n in range(2)]
    for round_ in range(2):
        _race(db_url, tmp_path, [(user, f) for f in files], round_, LARGE_BATCH)
        assert store.count_episodes(user) == 2 * LARGE_ROWS
        store.delete_all(user)
    store.engine.dispose()


def test_two_large_imports_by_different_users_at_once_both_succeed(
    db_url: str, tmp_path: Path
) -> None:
    """The same with two users (multi-user mode): nothing they share makes them wait for or
    deadlock with each other, and each gets every row of their own file."""
    store = open_store(db_url, load_kb())
    accounts = Accounts(store, AttemptLimiter(1000))
    users = [accounts.register(f"importer{n}", "a long enough password 1") for n in range(2)]
    files = [_large_file(tmp_path / f"user{n}.csv", seed=n + 1) for n in range(2)]
    _race(db_url, tmp_path, list(zip(users, files, strict=True)), 0, LARGE_BATCH)
    assert [store.count_episodes(u) for u in users] == [LARGE_ROWS] * 2
    store.engine.dispose()


def test_a_deadlock_on_postgresql_is_a_storage_error_not_an_internal_error(db_url: str) -> None:
    """Should two writers ever lock in opposite orders, PostgreSQL's deadlock victim gets a
    StorageError (exit 4, HTTP 503, a plain message to try again), never an internal error
    (exit 70): provoked on purpose with two users' rows locked in opposite orders."""
    import threading

    from sqlalchemy import select, update
    from sqlalchemy.orm import Session

    from twitchcheck.errors import StorageError
    from twitchcheck.storage import models as m

    if not db_url.startswith("postgresql"):
        pytest.skip("a deadlock needs row locks held across statements: PostgreSQL")
    store = open_store(db_url, load_kb())
    accounts = Accounts(store, AttemptLimiter(1000))
    ids = [accounts.register(f"locker{n}", "a long enough password 1").id for n in range(2)]
    both_hold_one = threading.Barrier(2)
    outcomes: list[BaseException | None] = [None, None]

    def lock_in_order(slot: int, order: list[int]) -> None:
        try:
            with Session(store.engine) as s, s.begin():
                s.execute(select(m.User.id).where(m.User.id == order[0]).with_for_update())
                both_hold_one.wait(timeout=30)
                s.execute(update(m.User).where(m.User.id == order[1]).values(sex=None))
        except BaseException as exc:
            outcomes[slot] = exc

    threads = [
        threading.Thread(target=lock_in_order, args=(0, ids)),
        threading.Thread(target=lock_in_order, args=(1, ids[::-1])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    failed = [o for o in outcomes if o is not None]
    assert len(failed) == 1, outcomes  # PostgreSQL chose one victim; the other committed
    assert isinstance(failed[0], StorageError), repr(failed[0])
    assert "nothing was stored" in failed[0].message and "Try again" in failed[0].message
    store.engine.dispose()
