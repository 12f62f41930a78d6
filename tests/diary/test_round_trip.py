"""Issue 18 #6: CSV export -> import -> export gives the same files, every field included
(assessments and the profile too)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from tests.helpers import add_user
from twitchcheck.diary.exchange import (
    ASSESSMENT_COLUMNS,
    CHECKIN_COLUMNS,
    EPISODE_COLUMNS,
    PROFILE_COLUMNS,
    export_csv,
    import_csv,
)
from twitchcheck.diary.schemas import CheckInIn, ProfileIn, parse_episode
from twitchcheck.diary.service import DiaryStore, UserRef

COLUMNS = {
    "episodes.csv": EPISODE_COLUMNS,
    "checkins.csv": CHECKIN_COLUMNS,
    "assessments.csv": ASSESSMENT_COLUMNS,
    "profile.csv": PROFILE_COLUMNS,
}


def _fill_every_field(store: DiaryStore, user: UserRef) -> None:
    store.set_profile(user, ProfileIn(birth_year=1984, sex="female", time_zone="Asia/Kolkata"))
    store.add_episode(
        user,
        parse_episode(
            {
                "occurred_at": "2026-05-01T08:15:30",
                "locations": ["twitch_eyelid", "twitch_nose"],
                "side": "left",
                "duration_seconds": 12.5,
                "intensity": 4,
                "caffeine_cups": 2.5,
                "sleep_hours": 6.25,
                "stress": 7,
                "exercise": True,
                "alcohol_units": 1.5,
                "medicines": ["Ibuprofen; 400 mg", "=cmd", "back\\slash"],
                "medicine_changed": False,
                "note": "'quoted', \"strong\"\nsecond line; =1+2",
                "time_zone": "Europe/Berlin",
            }
        ),
    )
    store.add_episode(
        user,
        parse_episode(
            {"occurred_at": "2026-05-02T21:00", "locations": ["twitch_nose"], "duration_seconds": 3}
        ),
    )
    store.add_checkin(
        user,
        CheckInIn(
            on_date=dt.date(2026, 5, 3),
            answers={"muscle_weakness": False, "difficulty_swallowing": True},
            caffeine_cups=3,
            sleep_hours=5.5,
            stress=2,
            note="-tired",
            time_zone="America/St_Johns",
        ),
    )
    # Two shapes of evidence, as the CLI/REST and the diary's re-triage store them.
    store.record_assessment(
        user,
        {"age": 41, "sex": "female", "evidence": [{"id": "twitch_nose", "choice": "present"}]},
        {"kb_version": "t", "causes": [{"id": "benign_muscle_spasm", "p": 0.5}], "triage": {}},
        origin="manual",
    )
    store.record_assessment(
        user,
        {"age": 42, "sex": "female", "present": ["twitch_nose"], "absent": ["muscle_weakness"]},
        {
            "kb_version": "t",
            "causes": [{"id": "benign_muscle_spasm", "note": "ü; =x"}],
            "triage": {"level": "routine"},
        },
        origin="diary",
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_export_import_export_is_identical_for_every_field(
    store: DiaryStore, tmp_path: Path
) -> None:
    user = store.local_user()
    _fill_every_field(store, user)
    export_csv(store, user, tmp_path / "first")
    first = _files(tmp_path / "first")
    assert sorted(first) == sorted(COLUMNS)
    # The fixture fills every column of every file at least once: the comparison below then
    # covers every field, not only the ones that happen to hold a value.
    for name, columns in COLUMNS.items():
        with (tmp_path / "first" / name).open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert tuple(rows[0]) == columns
        empty = [c for c in columns if not any(r[c] for r in rows)]
        assert empty == [], f"{name}: no row fills {empty}"

    other = add_user(store, "other")
    report = import_csv(store, other, tmp_path / "first")
    assert report.profile == "set"
    assert report.assessments is not None and report.assessments.added == 2
    export_csv(store, other, tmp_path / "second")
    second = _files(tmp_path / "second")
    for name in COLUMNS:
        assert second[name] == first[name], name
    # Imported again: everything is already there, the profile included.
    again = import_csv(store, other, tmp_path / "first")
    assert (again.added, again.profile) == (0, "same")


def test_an_imported_profile_never_overwrites_the_diarys_own(
    store: DiaryStore, tmp_path: Path
) -> None:
    user = store.local_user()
    _fill_every_field(store, user)
    export_csv(store, user, tmp_path / "out")
    other = add_user(store, "other")
    store.set_profile(other, ProfileIn(birth_year=1990, sex="male"))
    assert import_csv(store, other, tmp_path / "out").profile == "kept"
    assert store.profile(other).birth_year == 1990


def test_an_assessments_file_from_before_issue_18_is_left_out(
    store: DiaryStore, tmp_path: Path
) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "episodes.csv").write_text("occurred_at,locations,duration_seconds\n", "utf-8")
    (folder / "assessments.csv").write_text(
        "uid,created_at,origin,triage,top_cause,age,sex,present,absent,kb_version\n"
        "a1,2026-06-15T09:30:00,manual,self_care,benign_muscle_spasm,41,female,,,1\n",
        "utf-8",
    )
    report = import_csv(store, store.local_user(), folder)
    assert report.assessments is None and report.added == 0
