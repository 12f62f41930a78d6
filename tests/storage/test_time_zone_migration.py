"""Migration 0003 (issue 20): a diary made before it keeps its rows, which get no zone (NULL),
and new entries store theirs; on SQLite and PostgreSQL; and it goes down again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from twitchcheck.diary.schemas import parse_episode
from twitchcheck.diary.service import DiaryStore
from twitchcheck.kb.loader import load_kb
from twitchcheck.storage.db import _alembic_config, make_engine, migrate


def _to(url: str, revision: str, down: bool = False) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = _alembic_config(engine)
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, revision)
    finally:
        engine.dispose()


def _columns(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {col["name"] for col in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_rows_made_before_0003_keep_their_content_and_get_no_zone(db_url: str) -> None:
    _to(db_url, "0002")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO users (id, username, created_at) VALUES (1, 'local', :t)"),
            {"t": "2026-01-01 00:00:00"},
        )
        conn.execute(
            text(
                "INSERT INTO episodes (uid, user_id, occurred_at, day, locations, side, "
                "duration_seconds, medicines, created_at) VALUES ('old', 1, :t, :d, "
                """'["twitch_nose"]', 'left', 3, '[]', :t)"""
            ),
            {"t": "2026-02-01 09:30:00", "d": "2026-02-01"},
        )
    migrate(engine)
    for table in ("episodes", "checkins", "users"):
        assert "time_zone" in _columns(db_url, table)
    store = DiaryStore(engine, load_kb())
    user = store.local_user()
    (old,) = store.iter_episodes(user)
    assert (old.uid, old.side, old.time_zone) == ("old", "left", None)
    entry = {"occurred_at": "2026-02-02T10:00", "locations": ["twitch_nose"], "duration_seconds": 2}
    new = store.add_episode(user, parse_episode(entry | {"time_zone": "Europe/Berlin"}))
    assert store.get_episode(user, new.id).time_zone == "Europe/Berlin"
    engine.dispose()

    _to(db_url, "0002", down=True)
    assert "time_zone" not in _columns(db_url, "episodes")
    assert "time_zone" not in _columns(db_url, "users")
