"""Issue 18 #8: no health data (notes, places, medicines) in any log line or error message when
a diary write fails: the REST log, the problem document, the exception a server would log, and
the CLI's internal-error message, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import traceback

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from twitchcheck.diary.schemas import parse_episode
from twitchcheck.diary.service import DiaryStore
from twitchcheck.interfaces.cli import main
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

NOTE = "SECRET-NOTE-after-my-divorce"
MEDICINE = "SECRET-MEDICINE-sertraline-50"
PLACE = "twitch_cheek_mouth"
SECRETS = (NOTE, MEDICINE, PLACE, "divorce", "sertraline")


def _break_episodes(store: DiaryStore) -> None:
    """Every later write of an episode fails inside the database (the table is gone)."""
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE episodes RENAME TO episodes_gone"))


def _clean(text_: str) -> None:
    leaked = [s for s in SECRETS if s in text_]
    assert not leaked, f"health data in a log or message: {leaked}"


def test_a_failing_diary_write_leaks_nothing(
    store: DiaryStore,
    db_url: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level (sqlalchemy's included)
    user = store.local_user()
    _break_episodes(store)
    body = {
        "occurred_at": "2026-05-01T08:00",
        "locations": [PLACE],
        "duration_seconds": 4,
        "medicines": [MEDICINE],
        "note": NOTE,
    }

    # In process: the exception and the traceback a server would log.
    with pytest.raises(Exception) as err:
        store.add_episode(user, parse_episode(body))
    _clean("".join(traceback.format_exception(err.value)))

    # Over REST: the answer and the server's log.
    client = TestClient(
        create_app(Settings(rate_limit_per_minute=100_000), store=store),
        raise_server_exceptions=False,
    )
    res = client.post("/api/v1/diary/episodes", json=body)
    assert res.status_code >= 500
    _clean(res.text)

    # The CLI: its message on any failure.
    args = ["add", "--where", PLACE, "--seconds", "4", "--note", NOTE, "--medicine", MEDICINE]
    code = main(["diary", "--database-url", db_url, *args])
    out, errs = capsys.readouterr()
    assert code in (4, 70)
    _clean(out + errs)
    _clean(caplog.text)


def test_nul_characters_in_text_are_refused_as_input() -> None:
    from twitchcheck.errors import RecordError

    with pytest.raises(RecordError) as err:
        parse_episode(
            {
                "occurred_at": "2026-05-01T08:00",
                "locations": [PLACE],
                "duration_seconds": 4,
                "note": "a\x00b",
            }
        )
    assert err.value.problems[0][0] == "note"
