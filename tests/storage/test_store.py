"""The diary store on SQLite and on a real PostgreSQL server (the ``db_url`` fixture)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select

from tests.helpers import add_user
from twitchcheck.diary.schemas import CheckInIn, EpisodeUpdate, parse_episode
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.errors import NotFoundError, RecordError
from twitchcheck.storage import models as m
from twitchcheck.storage.db import make_engine, migrate, schema_tables


def _episode(day: int, locations: list[str], **extra: object) -> dict[str, object]:
    return {
        "occurred_at": f"2026-10-{day:02d}T09:30",
        "locations": locations,
        "duration_seconds": 20,
        **extra,
    }


def _recomputed_days(store: DiaryStore, user: UserRef) -> dict[dt.date, tuple[int, float]]:
    """The per-day counts and durations recomputed from the episodes themselves."""
    counts: Counter[dt.date] = Counter()
    durations: Counter[dt.date] = Counter()
    for ep in store.iter_episodes(user):
        counts[ep.occurred_at.date()] += 1
        durations[ep.occurred_at.date()] += ep.duration_seconds
    return {d: (counts[d], durations[d]) for d in counts}


def test_migrations_create_every_table_and_are_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)
    assert {"episodes", "checkins", "assessments", "day_stats", "audit", "users"} <= set(
        schema_tables(engine)
    )


def test_aggregates_match_the_episodes_after_adds_updates_and_deletes(store: DiaryStore) -> None:
    user = store.local_user()
    ids = [
        store.add_episode(user, parse_episode(_episode(d, ["twitch_nose"], intensity=d % 11))).id
        for d in (1, 1, 2, 3, 3, 3)
    ]
    store.update_episode(user, ids[0], EpisodeUpdate(occurred_at=dt.datetime(2026, 10, 5, 8)))
    store.update_episode(user, ids[1], EpisodeUpdate(duration_seconds=90))
    store.delete_episode(user, ids[2])
    rows = {r.day: (r.episodes, r.duration_seconds) for r in store.day_rows(user)}
    assert rows == _recomputed_days(store, user)
    assert rows[dt.date(2026, 10, 1)] == (1, 90.0)
    assert dt.date(2026, 10, 2) not in rows  # its only episode was deleted
    assert store.count_episodes(user) == 5


def test_mean_context_per_day(store: DiaryStore) -> None:
    user = store.local_user()
    store.add_episode(user, parse_episode(_episode(7, ["twitch_eyelid"], caffeine_cups=2)))
    store.add_episode(user, parse_episode(_episode(7, ["twitch_nose"], caffeine_cups=4)))
    store.add_episode(user, parse_episode(_episode(7, ["twitch_nose"])))
    (row,) = store.day_rows(user)
    assert row.episodes == 3
    assert row.caffeine_cups == pytest.approx(3.0)  # the unknown value is left out, not zero
    assert row.sleep_hours is None
    assert store.location_first_seen(user) == {
        "twitch_eyelid": dt.date(2026, 10, 7),
        "twitch_nose": dt.date(2026, 10, 7),
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_seconds": -5}, "duration_seconds"),
        ({"intensity": 11}, "intensity"),
        ({"occurred_at": "2026-13-40T00:00"}, "occurred_at"),
        ({"occurred_at": "2999-01-01T00:00"}, "occurred_at"),
        ({"locations": ["twitch_nos"]}, "locations"),
        ({"stress": -1}, "stress"),
        ({"colour": "red"}, "colour"),
        ({"stress": False}, "stress"),
        ({"duration_seconds": True}, "duration_seconds"),
    ],
)
def test_bad_entries_name_the_field_and_change_nothing(
    store: DiaryStore, change: dict[str, object], field: str
) -> None:
    user = store.local_user()
    kept = store.add_episode(user, parse_episode(_episode(1, ["twitch_nose"])))
    with pytest.raises(RecordError) as info:
        store.add_episode(user, parse_episode(_episode(2, ["twitch_nose"]) | change))
    assert any(where == field for where, _ in info.value.problems), info.value.problems
    assert field in str(info.value)
    assert [e.id for e in store.list_episodes(user)] == [kept.id]
    assert [r.episodes for r in store.day_rows(user)] == [1]


def test_unknown_location_suggests_close_ids(store: DiaryStore) -> None:
    user = store.local_user()
    with pytest.raises(RecordError, match="twitch_nose"):
        store.add_episode(user, parse_episode(_episode(1, ["twitch_nos"])))


def test_import_skips_duplicates_and_refuses_a_bad_batch_whole(store: DiaryStore) -> None:
    user = store.local_user()
    batch = [parse_episode(_episode(d, ["twitch_nose"])) for d in (1, 2, 3)]
    first = store.import_episodes(user, batch)
    again = store.import_episodes(
        user, [*batch, parse_episode(_episode(4, ["twitch_cheek_mouth"]))]
    )
    assert (first.added, first.skipped_duplicates) == (3, 0)
    assert (again.added, again.skipped_duplicates) == (1, 3)
    bad = [parse_episode(_episode(5, ["twitch_nose"])), parse_episode(_episode(6, ["nope"]))]
    with pytest.raises(RecordError, match="row 2"):
        store.import_episodes(user, bad)
    assert store.count_episodes(user) == 4


def test_users_never_see_each_others_entries(store: DiaryStore) -> None:
    alice, bob = add_user(store, "alice"), add_user(store, "bob")
    ep = store.add_episode(alice, parse_episode(_episode(1, ["twitch_nose"])))
    ci = store.add_checkin(
        alice, CheckInIn(on_date=dt.date(2026, 10, 1), answers={"muscle_weakness": False})
    )
    rec = store.record_assessment(
        alice,
        {"present": ["twitch_nose"]},
        {"causes": [{"id": "x"}], "triage": {"level": "self_care"}},
    )
    for call in (
        lambda: store.get_episode(bob, ep.id),
        lambda: store.update_episode(bob, ep.id, EpisodeUpdate(intensity=3)),
        lambda: store.delete_episode(bob, ep.id),
        lambda: store.get_checkin(bob, ci.id),
        lambda: store.delete_checkin(bob, ci.id),
        lambda: store.get_assessment(bob, rec.id),
        lambda: store.delete_assessment(bob, rec.id),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert store.list_episodes(bob) == [] and store.list_checkins(bob) == []
    assert store.list_assessments(bob) == [] and store.day_rows(bob) == []
    assert store.delete_all(bob).episodes == 0
    assert store.get_episode(alice, ep.id).intensity is None  # unchanged
    refused = [e for e in store.audit_events() if e.outcome == "refused"]
    assert len(refused) == 7 and {e.actor for e in refused} == {"bob"}


def test_audit_records_who_and_what_but_no_health_content(store: DiaryStore) -> None:
    user = store.local_user()
    ep = store.add_episode(user, parse_episode(_episode(1, ["twitch_nose"], note="after coffee")))
    store.get_episode(user, ep.id)
    store.delete_all(user)
    events = store.audit_events()
    assert [e.action for e in reversed(events)] == [
        "episode.create",
        "episode.read",
        "diary.delete_all",
    ]
    for e in events:
        text = " ".join(str(v) for v in (e.actor, e.action, e.target, e.outcome))
        assert "twitch_nose" not in text and "coffee" not in text


def test_delete_all_removes_every_entry_and_aggregate(store: DiaryStore) -> None:
    user = store.local_user()
    store.add_episode(user, parse_episode(_episode(1, ["twitch_nose"])))
    store.add_checkin(user, CheckInIn(on_date=dt.date(2026, 10, 1), sleep_hours=6))
    report = store.delete_all(user)
    assert (report.episodes, report.checkins) == (1, 1)
    with store._sessions() as s:
        assert s.scalars(select(m.DayStats)).all() == []
        assert s.scalars(select(m.LocationDay)).all() == []


def test_a_bad_row_after_earlier_batches_were_flushed_stores_nothing(
    store: DiaryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "import_batch", 2)
    user = store.local_user()
    rows: list[object] = [parse_episode(_episode(d, ["twitch_nose"])) for d in range(1, 8)]
    rows.append(RecordError([("row 8: duration_seconds", "Input should be greater than 0")]))
    rows.append(parse_episode(_episode(9, ["nope"])))
    with pytest.raises(RecordError) as info:
        store.import_episodes(user, rows)  # type: ignore[arg-type]
    assert [w for w, _ in info.value.problems] == ["row 8: duration_seconds", "row 9: locations"]
    assert store.count_episodes(user) == 0 and store.list_episodes(user) == []
