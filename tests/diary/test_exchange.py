"""CSV export and import (round trip, duplicates, bad rows); the FHIR Bundle: test_fhir_export."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import add_user
from twitchcheck.diary.exchange import export_csv, import_csv
from twitchcheck.diary.schemas import CheckInIn, parse_episode
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.errors import RecordError


def _fill(store: DiaryStore, user: UserRef) -> None:
    store.add_episode(
        user,
        parse_episode(
            {
                "occurred_at": "2026-05-01T08:15:00",
                "locations": ["twitch_nose", "twitch_eyelid"],
                "side": "left",
                "duration_seconds": 12.5,
                "intensity": 4,
                "caffeine_cups": 2,
                "sleep_hours": 6.5,
                "stress": 7,
                "exercise": True,
                "alcohol_units": 0,
                "medicines": ["ibuprofen", "salbutamol inhaler"],
                "medicine_changed": False,
                "note": 'felt it after coffee, "strong"\nsecond line',
            }
        ),
    )
    for day in range(2, 12):
        store.add_episode(
            user,
            parse_episode(
                {
                    "occurred_at": f"2026-05-{day:02d}T21:00",
                    "locations": ["twitch_limbs_or_trunk"],
                    "duration_seconds": day,
                }
            ),
        )
    store.add_checkin(
        user,
        CheckInIn(
            on_date=dt.date(2026, 5, 3),
            answers={"muscle_weakness": False, "difficulty_swallowing": True},
            caffeine_cups=3,
        ),
    )
    store.add_checkin(user, CheckInIn(on_date=dt.date(2026, 5, 4), sleep_hours=5))
    store.record_assessment(
        user,
        {"age": 40, "sex": "male", "present": ["twitch_nose"], "absent": []},
        {
            "kb_version": "t",
            "causes": [{"id": "benign_muscle_spasm"}],
            "triage": {"level": "self_care"},
        },
    )


def _entries(
    store: DiaryStore, user: UserRef
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The user's episodes and check-ins, without database ids or creation times."""
    eps = sorted(
        tuple(e.model_dump(exclude={"id", "created_at"}).items()) for e in store.iter_episodes(user)
    )
    cks = sorted(
        (
            c.uid,
            c.on_date,
            tuple(sorted(c.answers.items())),
            c.caffeine_cups,
            c.sleep_hours,
            c.stress,
            c.note,
        )
        for c in store.iter_checkins(user)
    )
    return eps, cks


def test_export_writes_three_files_with_headers_and_joined_lists(
    store: DiaryStore, tmp_path: Path
) -> None:
    user = store.local_user()
    _fill(store, user)
    seen: list[int] = []
    paths = export_csv(store, user, tmp_path / "out", progress=seen.append)
    names = ["episodes.csv", "checkins.csv", "assessments.csv", "profile.csv"]
    assert [p.name for p in paths] == names
    with paths[0].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 11 and sum(seen) == 11
    first = rows[0]
    assert first["locations"] == "twitch_nose;twitch_eyelid"
    assert first["medicines"] == "ibuprofen;salbutamol inhaler"
    assert first["occurred_at"] == "2026-05-01T08:15:00"
    assert first["exercise"] == "true" and first["intensity"] == "4"
    assert first["note"] == 'felt it after coffee, "strong"\nsecond line'
    assert rows[1]["intensity"] == ""  # not recorded
    uids = {e.uid for e in store.iter_episodes(user)}
    assert {r["uid"] for r in rows} == uids
    with paths[1].open(encoding="utf-8") as fh:
        cks = list(csv.DictReader(fh))
    assert cks[0]["answers"] == "muscle_weakness=no;difficulty_swallowing=yes"
    assert cks[1]["answers"] == "" and cks[1]["sleep_hours"] == "5.0"
    with paths[2].open(encoding="utf-8") as fh:
        ass = list(csv.DictReader(fh))
    assert ass[0]["triage"] == "self_care" and ass[0]["present"] == "twitch_nose"


def test_round_trip_into_another_diary_and_back_adds_nothing_twice(
    store: DiaryStore, tmp_path: Path
) -> None:
    user = store.local_user()
    _fill(store, user)
    export_csv(store, user, tmp_path / "out")
    # The same export back into the same diary: everything is already there (11 episodes,
    # 2 check-ins, 1 assessment).
    again = import_csv(store, user, tmp_path / "out")
    assert (again.rows, again.added, again.skipped_duplicates) == (14, 0, 14)
    # Into an empty diary: the entries come back equal, field by field.
    other = add_user(store, "other")
    rep = import_csv(store, other, tmp_path / "out")
    assert rep.episodes.added == 11 and rep.checkins is not None and rep.checkins.added == 2
    assert _entries(store, other) == _entries(store, user)
    assert {r.day: r.episodes for r in store.day_rows(other)} == {
        r.day: r.episodes for r in store.day_rows(user)
    }
    twice = import_csv(store, other, tmp_path / "out" / "episodes.csv")
    assert twice.added == 0 and twice.skipped_duplicates == 11


def test_file_without_uids_imported_twice_adds_nothing_the_second_time(
    store: DiaryStore, tmp_path: Path
) -> None:
    user = store.local_user()
    path = tmp_path / "mine.csv"
    path.write_text(
        "occurred_at,locations,duration_seconds,intensity\n"
        "2026-04-01T10:00,twitch_eyelid,3,2\n"
        "2026-04-01T10:00,twitch_eyelid,3,2\n"  # the same row twice in one file
        "2026-04-02 11:30,twitch_nose;twitch_upper_lip,8,\n",
        encoding="utf-8",
    )
    first = import_csv(store, user, path)
    assert (first.added, first.skipped_duplicates) == (2, 1)
    second = import_csv(store, user, path)
    assert (second.added, second.skipped_duplicates) == (0, 3)
    assert store.count_episodes(user) == 2


def test_a_malformed_row_names_row_and_field_and_stores_nothing(
    store: DiaryStore, tmp_path: Path
) -> None:
    user = store.local_user()
    _fill(store, user)
    before = _entries(store, user)
    lines = ["occurred_at,locations,duration_seconds,intensity,exercise"]
    lines += [f"2026-04-{d:02d}T10:00,twitch_eyelid,3,2," for d in range(1, 7)]
    lines.append("2026-04-07T10:00,twitch_eyelid,-3,2,")  # row 7
    lines.append("2026-04-08T10:00,twitch_elbow,3,11,maybe")  # row 8
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        import_csv(store, user, path)
    problems = dict(err.value.problems)
    assert problems["row 7: duration_seconds"] == "Enter a number above 0."
    assert "row 8: intensity" in problems and "row 8: exercise" in problems
    assert _entries(store, user) == before


def test_unknown_location_and_bad_checkin_rows_store_nothing(
    store: DiaryStore, tmp_path: Path
) -> None:
    user = store.local_user()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "episodes.csv").write_text(
        "occurred_at,locations,duration_seconds\n2026-04-01T10:00,twitch_elbow,3\n", "utf-8"
    )
    with pytest.raises(RecordError) as err:
        import_csv(store, user, folder / "episodes.csv")
    assert err.value.problems[0][0] == "row 1: locations"
    assert "twitch_elbow" in err.value.problems[0][1]
    (folder / "episodes.csv").write_text(
        "occurred_at,locations,duration_seconds\n2026-04-01T10:00,twitch_nose,3\n", "utf-8"
    )
    (folder / "checkins.csv").write_text(
        "on_date,answers\n2026-04-01,muscle_weakness=yes\n2026-04-02,muscle_weakness=perhaps\n",
        "utf-8",
    )
    with pytest.raises(RecordError) as err:
        import_csv(store, user, folder)
    assert err.value.problems[0][0] == "checkins.csv row 2: answers"
    assert store.count_episodes(user) == 0 and list(store.iter_checkins(user)) == []


def test_bad_header_is_refused(store: DiaryStore, tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("when,locations,duration_seconds\n2026-04-01T10:00,twitch_nose,3\n", "utf-8")
    with pytest.raises(RecordError) as err:
        import_csv(store, store.local_user(), path)
    messages = [msg for _, msg in err.value.problems]
    assert "missing column 'occurred_at'" in messages and "unknown column 'when'" in messages


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"occurred_at": "2026-04-01T10:00", "duration_seconds": 3},
            "locations",
            "Choose at least one place.",
        ),
        (
            {"occurred_at": "2026-04-01T10:00", "locations": [], "duration_seconds": 3},
            "locations",
            "Choose at least one place.",
        ),
        ({"locations": ["twitch_nose"], "duration_seconds": 3}, "occurred_at", "This is needed."),
        (
            {"occurred_at": "soon", "locations": ["twitch_nose"], "duration_seconds": 3},
            "occurred_at",
            "Enter a date and time (YYYY-MM-DD HH:MM).",
        ),
        (
            {
                "occurred_at": "2026-04-01T10:00",
                "locations": ["twitch_nose"],
                "duration_seconds": "x",
            },
            "duration_seconds",
            "Enter a number.",
        ),
    ],
)
def test_problems_are_in_plain_words(data: dict, field: str, message: str) -> None:
    """Issue 19: "Choose at least one place", never "List should have at least 1 item after
    validation"."""
    from twitchcheck.diary.schemas import parse_episode

    with pytest.raises(RecordError) as err:
        parse_episode(data)
    problems = dict(err.value.problems)
    assert problems[field] == message
    assert not any("should" in m or "validation" in m for m in problems.values())
