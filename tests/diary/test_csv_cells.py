"""Issue 18: any text survives a CSV round trip (lists holding ";", cells a spreadsheet would
run as a formula)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import add_user
from twitchcheck.diary.exchange import export_csv, import_csv
from twitchcheck.diary.schemas import CheckInIn, parse_episode
from twitchcheck.diary.service import DiaryStore

#: Cells starting with these are run as formulas by spreadsheets (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_medicine_names_holding_semicolons_and_backslashes_survive_a_round_trip(
    store: DiaryStore, tmp_path: Path
) -> None:
    user = store.local_user()
    medicines = ["Ibuprofen; 400 mg", "a\\b", "ends with \\", "x;;y", "plain"]
    store.add_episode(
        user,
        parse_episode(
            {
                "occurred_at": "2026-05-01T08:00",
                "locations": ["twitch_nose"],
                "duration_seconds": 5,
                "medicines": medicines,
            }
        ),
    )
    export_csv(store, user, tmp_path / "out")
    other = add_user(store, "other")
    import_csv(store, other, tmp_path / "out")
    (back,) = store.iter_episodes(other)
    assert back.medicines == medicines


def test_old_exports_with_plain_semicolon_lists_still_read(
    store: DiaryStore, tmp_path: Path
) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        "occurred_at,locations,duration_seconds,medicines\n"
        "2026-04-01T10:00,twitch_nose;twitch_eyelid,3,ibuprofen;C:\\pills\n",
        encoding="utf-8",
    )
    user = store.local_user()
    import_csv(store, user, path)
    (ep,) = store.iter_episodes(user)
    assert ep.locations == ["twitch_nose", "twitch_eyelid"]
    assert ep.medicines == ["ibuprofen", "C:\\pills"]  # an unknown escape is a plain backslash


# Stored text never starts with a tab or carriage return (text fields are stripped), so those
# two starts are tested on the cell functions below, and in a hand-written file.
@pytest.mark.parametrize("start", [s for s in FORMULA_STARTS if s.strip()])
def test_cells_a_spreadsheet_would_run_are_exported_quoted_and_read_back_verbatim(
    store: DiaryStore, tmp_path: Path, start: str
) -> None:
    user = store.local_user()
    text = f'{start}HYPERLINK("http://x";"go") -2+3'
    store.add_episode(
        user,
        parse_episode(
            {
                "occurred_at": "2026-05-01T08:00",
                "locations": ["twitch_nose"],
                "duration_seconds": 5,
                "medicines": [text],
                "note": text,
            }
        ),
    )
    store.add_checkin(user, CheckInIn(on_date=dt.date(2026, 5, 1), sleep_hours=7, note=text))
    export_csv(store, user, tmp_path / "out")
    (ep_row,) = _rows(tmp_path / "out" / "episodes.csv")
    (ck_row,) = _rows(tmp_path / "out" / "checkins.csv")
    for cell in (ep_row["note"], ep_row["medicines"], ck_row["note"]):
        assert cell.startswith("'") and cell[1:].startswith(text[:1])
    other = add_user(store, "other")
    import_csv(store, other, tmp_path / "out")
    (ep,) = store.iter_episodes(other)
    (ck,) = store.iter_checkins(other)
    assert ep.note == text and ep.medicines == [text] and ck.note == text


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_quoted_and_unquoted_exactly_once(start: str) -> None:
    from twitchcheck.diary.csv_cells import guard, unguard

    for text in (f"{start}SUM(A1)", f"{start}", f"{start}{start}x"):
        assert guard(text) == "'" + text
        assert unguard(guard(text)) == text
    assert guard("SUM(A1)") == "SUM(A1)" and unguard("SUM(A1)") == "SUM(A1)"


def test_an_imported_cell_loses_exactly_one_leading_quote(
    store: DiaryStore, tmp_path: Path
) -> None:
    path = tmp_path / "e.csv"
    path.write_text(
        "occurred_at,locations,duration_seconds,note\n"
        "2026-04-01T10:00,twitch_nose,3,'=2+3\n"
        "2026-04-02T10:00,twitch_nose,3,''quoted'\n"
        '2026-04-03T10:00,twitch_nose,3,"\'\t@SUM(1)"\n'
        '2026-04-04T10:00,twitch_nose,3,"\'\r-1"\n',
        encoding="utf-8",
    )
    user = store.local_user()
    import_csv(store, user, path)
    notes = sorted(e.note or "" for e in store.iter_episodes(user))
    assert notes == ["'quoted'", "-1", "=2+3", "@SUM(1)"]  # text fields are then stripped
