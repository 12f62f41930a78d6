"""Issue 18 #13: storage failures are exit 4 / HTTP 503 with their own code and a plain
message; unreadable import files are input errors (exit 2) naming the row and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from twitchcheck.diary.exchange import import_csv
from twitchcheck.diary.service import DiaryStore
from twitchcheck.errors import InputError, RecordError, StorageError
from twitchcheck.interfaces.cli import main
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.kb.loader import load_kb
from twitchcheck.storage.db import make_engine

INTERNAL_CODE = "E500"


def _not_a_database(tmp_path: Path) -> str:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is a text file, not a database\n" * 200)
    return f"sqlite:///{path}"


def test_storage_error_has_its_own_code() -> None:
    assert StorageError.code != INTERNAL_CODE
    assert (StorageError.exit_code, StorageError.http_status) == (4, 503)


def test_a_file_that_is_not_a_database_exits_4_with_a_plain_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["diary", "--database-url", _not_a_database(tmp_path), "list"])
    err = capsys.readouterr().err
    assert code == 4, err
    assert "Internal error" not in err and "not a diary database" in err


def test_a_folder_that_cannot_be_created_exits_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["diary", "--database-url", f"sqlite:///{blocker}/sub/diary.sqlite3", "list"])
    err = capsys.readouterr().err
    assert code == 4, err
    assert "Internal error" not in err and "folder" in err


def test_a_storage_failure_is_a_503_problem_with_the_storage_code(tmp_path: Path) -> None:
    store = DiaryStore(make_engine(_not_a_database(tmp_path)), load_kb())
    client = TestClient(
        create_app(Settings(rate_limit_per_minute=100_000), store=store),
        raise_server_exceptions=False,
    )
    res = client.get("/api/v1/diary/episodes")
    assert res.status_code == 503, res.text
    assert res.json()["code"] == StorageError.code
    assert res.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("cell", "field", "says"),
    [
        (b"caf\xe9 au lait", "note", "UTF-8"),  # Latin-1, not UTF-8
        (b"before\x00after", "note", "NUL"),
        (b"x" * 5_000_000, "note", "longer than"),
    ],
)
def test_unreadable_cells_are_input_errors_naming_row_and_field(
    store: DiaryStore, tmp_path: Path, cell: bytes, field: str, says: str
) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(
        b"occurred_at,locations,duration_seconds,note\n"
        b"2026-04-01T10:00,twitch_nose,3,fine\n"
        b"2026-04-02T10:00,twitch_nose,3," + cell + b"\n"
    )
    with pytest.raises(RecordError) as err:
        import_csv(store, store.local_user(), path)
    where, message = err.value.problems[0]
    assert where == f"row 2: {field}" and says in message
    assert isinstance(err.value, InputError) and err.value.exit_code == 2
    assert store.count_episodes(store.local_user()) == 0


def test_a_non_utf8_file_exits_2_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(
        b"occurred_at,locations,duration_seconds,note\n2026-04-01,twitch_nose,3,\xff\n"
    )
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    code = main(["diary", "--database-url", url, "import", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "row 1: note" in err


@pytest.mark.parametrize(
    ("driver_says", "plain"),
    [
        ("database is locked", "busy"),
        (
            "deadlock detected\nDETAIL: Process 1 waits for ShareLock; blocked by process 2.",
            "in each other's way",
        ),
        ("database or disk is full", "full"),
        ("could not extend file: No space left on device", "full"),
        ("attempt to write a readonly database", "read-only"),
        ("file is not a database", "not a diary database"),
        ("unable to open database file", "cannot be opened"),
        ('connection to server at "127.0.0.1", port 5432 failed', "cannot be reached"),
    ],
)
def test_each_storage_failure_gets_a_plain_message(driver_says: str, plain: str) -> None:
    from sqlalchemy.exc import OperationalError

    from twitchcheck.storage.db import plain_storage_message

    exc = OperationalError(
        "INSERT INTO episodes (note) VALUES (?)", ("my secret note",), Exception(driver_says)
    )
    message = plain_storage_message(exc)
    assert plain in message and "secret" not in message and "INSERT" not in message


def test_a_database_locked_past_its_timeout_exits_4_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real lock, not a mocked message: another program holds the diary's write lock for longer
    than the busy timeout, so the entry is refused with exit 4 and a plain "busy" message, and
    once the lock is gone the diary holds no half-written entry."""
    import sqlite3

    import twitchcheck.storage.db as db

    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    assert main(["diary", "--database-url", url, "list"]) == 0  # set up, at the newest schema
    capsys.readouterr()
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)  # wait 0.2 s instead of 10 s
    other = sqlite3.connect(tmp_path / "d.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program's long write
    try:
        add = ["diary", "--database-url", url, "add", "--where", "twitch_nose", "--seconds", "5"]
        code = main(add)
        err = capsys.readouterr().err
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 4, err
    assert "busy" in err and "Internal error" not in err
    assert main(["diary", "--database-url", url, "list", "--json"]) == 0
    assert "twitch_nose" not in capsys.readouterr().out
