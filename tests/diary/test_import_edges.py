"""Issue 18: imports keep every distinct entry and store a folder whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from twitchcheck.diary.exchange import import_csv
from twitchcheck.diary.records import checkins
from twitchcheck.diary.records.rows import legacy_content_uid
from twitchcheck.diary.schemas import parse_episode
from twitchcheck.diary.service import DiaryStore


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_without_uid_differing_only_in_intensity_or_note_are_all_kept(
    store: DiaryStore, tmp_path: Path
) -> None:
    """De-duplication looks at the whole entry: same time, place, side and duration but another
    intensity, note or medicine is another episode (issue 18 #1)."""
    user = store.local_user()
    head = "occurred_at,locations,side,duration_seconds,intensity,medicines,note\n"
    same = "2026-04-01T10:00,twitch_eyelid,left,3"
    path = _write(
        tmp_path / "e.csv",
        head
        + f"{same},2,,\n"
        + f"{same},7,,\n"  # another intensity
        + f"{same},2,,after the gym\n"  # a note
        + f"{same},2,ibuprofen,\n"  # a medicine
        + f"{same},2,,\n",  # a true repeat of the first row
    )
    first = import_csv(store, user, path)
    assert (first.added, first.skipped_duplicates) == (4, 1)
    again = import_csv(store, user, path)
    assert (again.added, again.skipped_duplicates) == (0, 5)
    kept = sorted(
        (e.intensity, e.note or "", tuple(e.medicines)) for e in store.iter_episodes(user)
    )
    assert kept == [(2, "", ()), (2, "", ("ibuprofen",)), (2, "after the gym", ()), (7, "", ())]


def test_checkins_without_uid_differing_only_in_note_are_both_kept(
    store: DiaryStore, tmp_path: Path
) -> None:
    user = store.local_user()
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder / "episodes.csv", "occurred_at,locations,duration_seconds\n")
    _write(
        folder / "checkins.csv",
        "on_date,answers,note\n"
        "2026-04-01,muscle_weakness=no,\n"
        "2026-04-01,muscle_weakness=no,slept badly\n",
    )
    report = import_csv(store, user, folder)
    assert report.checkins is not None
    assert (report.checkins.added, report.checkins.skipped_duplicates) == (2, 0)


def test_entries_imported_by_older_releases_are_still_recognised_whole(
    store: DiaryStore, tmp_path: Path
) -> None:
    """A row stored under the old partial-content uid is a duplicate only of an equal entry."""
    user = store.local_user()
    old = parse_episode(
        {"occurred_at": "2026-04-01T10:00", "locations": ["twitch_eyelid"], "duration_seconds": 3}
    )
    store.add_episode(user, old.model_copy(update={"uid": legacy_content_uid(old)}))
    path = _write(
        tmp_path / "e.csv",
        "occurred_at,locations,duration_seconds,intensity\n"
        "2026-04-01T10:00,twitch_eyelid,3,\n"  # the entry stored before: skipped
        "2026-04-01T10:00,twitch_eyelid,3,6\n",  # same old key, other intensity: kept
    )
    report = import_csv(store, user, path)
    assert (report.added, report.skipped_duplicates) == (1, 1)


class _Killed(Exception):
    """Stands in for a crash between the episodes and the check-ins of a folder import."""


def test_a_folder_import_failing_between_its_files_stores_nothing(
    store: DiaryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Episodes and check-ins of one folder are one transaction (issue 18 #3)."""
    user = store.local_user()
    folder = tmp_path / "in"
    folder.mkdir()
    _write(
        folder / "episodes.csv",
        "occurred_at,locations,duration_seconds\n2026-04-01T10:00,twitch_nose,3\n"
        "2026-04-02T10:00,twitch_nose,4\n",
    )
    _write(folder / "checkins.csv", "on_date,answers\n2026-04-01,muscle_weakness=no\n")

    def fail(*_args: object) -> None:
        raise _Killed

    monkeypatch.setattr(checkins, "checkin_row", fail)  # the check-in part fails
    with pytest.raises(_Killed):
        import_csv(store, user, folder)
    assert store.count_episodes(user) == 0 and list(store.iter_episodes(user)) == []
    assert store.day_rows(user) == []
    monkeypatch.undo()
    report = import_csv(store, user, folder)  # and the import then works whole
    assert report.added == 3
