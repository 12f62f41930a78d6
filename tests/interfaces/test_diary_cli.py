"""``twitchcheck diary ...`` run in-process through the CLI's entry point.

Every test points the CLI at its own database (``--database-url``; the ``db_url`` fixture runs a
few on PostgreSQL too) and sets TWITCHCHECK_DATA_DIR to a temp folder, so the person's own diary
is never touched. What a command stored is checked through the store, not through the CLI.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from twitchcheck.diary.service import DiaryStore
from twitchcheck.interfaces.cli import app, main
from twitchcheck.interfaces.diary_cli import data_commands
from twitchcheck.kb.loader import load_kb
from twitchcheck.storage.db import make_engine, migrate

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWITCHCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TWITCHCHECK_DATABASE_URL", raising=False)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


class Diary:
    """Runs ``twitchcheck diary --database-url URL ...`` and reads the store behind it."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys

    def run(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["diary", "--database-url", self.url, *argv])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *argv: str) -> object:
        code, out, err = self.run(*argv, "--json")
        assert code == 0, err
        return json.loads(out)

    def store(self) -> DiaryStore:
        engine = make_engine(self.url)
        migrate(engine)
        return DiaryStore(engine, load_kb())

    def counts(self) -> tuple[int, int, int]:
        store = self.store()
        user = store.local_user()
        return (
            len(store.list_episodes(user, limit=10_000)),
            len(store.list_checkins(user)),
            len(store.list_assessments(user)),
        )


@pytest.fixture
def diary(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> Diary:
    return Diary(sqlite_url, capsys)


@pytest.fixture
def both(db_url: str, capsys: pytest.CaptureFixture[str]) -> Diary:
    """The same CLI against SQLite and a real PostgreSQL server."""
    return Diary(db_url, capsys)


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


# -- add -----------------------------------------------------------------------------------------


def test_add_stores_every_field_and_prints_the_entry(both: Diary) -> None:
    data = both.json(
        "add",
        "--when",
        f"{_day(2)} 08:30",
        "--where",
        "twitch_nose,twitch_eyelid",
        "--side",
        "left",
        "--seconds",
        "30",
        "--intensity",
        "4",
        "--caffeine",
        "3",
        "--sleep",
        "6.5",
        "--stress",
        "7",
        "--exercise",
        "--alcohol",
        "0",
        "--medicine",
        "ibuprofen",
        "--medicine",
        "cetirizine",
        "--medicine-changed",
        "--note",
        "after a long day",
    )
    assert isinstance(data, dict)
    store = both.store()
    stored = store.get_episode(store.local_user(), data["id"])
    assert stored.model_dump(mode="json") == data
    assert stored.occurred_at == dt.datetime.fromisoformat(f"{_day(2)} 08:30")
    assert stored.locations == ["twitch_nose", "twitch_eyelid"]
    assert (stored.side, stored.duration_seconds, stored.intensity) == ("left", 30.0, 4)
    assert (stored.caffeine_cups, stored.sleep_hours, stored.stress) == (3.0, 6.5, 7)
    assert (stored.exercise, stored.alcohol_units, stored.medicine_changed) == (True, 0.0, True)
    assert stored.medicines == ["ibuprofen", "cetirizine"]
    assert stored.note == "after a long day"


def test_add_readable_output_and_defaults(diary: Diary) -> None:
    code, out, _ = diary.run("add", "--where", "twitch_nose", "--seconds", "5", "--no-exercise")
    assert code == 0
    assert "Saved episode 1" in out and "Nose" in out
    store = diary.store()
    (ep,) = store.list_episodes(store.local_user())
    # --when defaults to now (to the minute); unknown fields stay unknown, not zero.
    assert abs(ep.occurred_at - dt.datetime.now()) < dt.timedelta(minutes=2)
    assert ep.side == "unknown" and ep.exercise is False and ep.intensity is None


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--when", "2026-13-40 10:00"], "--when"),
        (["--when", "yesterday"], "--when"),
        (["--when", f"{TODAY.year + 2}-01-01 10:00"], "future"),
        (["--seconds", "-5"], "--seconds"),
        (["--seconds", "0"], "--seconds"),
        (["--intensity", "11"], "--intensity"),
        (["--stress", "-1"], "--stress"),
        (["--sleep", "25"], "--sleep"),
        (["--side", "up"], "--side"),
        (["--where", "twitch_nos"], "did you mean twitch_nose"),
    ],
)
def test_bad_episode_input_is_exit_2_naming_the_field_and_stores_nothing(
    diary: Diary, extra: list[str], needle: str
) -> None:
    args = {"--where": "twitch_nose", "--seconds": "10"}
    for key, value in zip(extra[::2], extra[1::2], strict=True):
        args[key] = value
    argv = [part for kv in args.items() for part in kv]
    code, out, err = diary.run("add", *argv)
    assert code == 2, (out, err)
    assert needle in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1  # one clear line
    assert diary.counts() == (0, 0, 0)


def test_bad_input_on_postgresql_stores_nothing_either(both: Diary) -> None:
    both.run("add", "--where", "twitch_nose", "--seconds", "3")
    code, _, err = both.run("add", "--where", "twitch_nose", "--seconds", "3", "--intensity", "11")
    assert code == 2 and "--intensity" in err
    assert both.counts() == (1, 0, 0)


def test_a_non_number_is_a_usage_error(diary: Diary) -> None:
    code, _, err = diary.run("add", "--where", "twitch_nose", "--seconds", "abc")
    assert code == 2 and "--seconds" in err and "Traceback" not in err


# -- checkin and profile -------------------------------------------------------------------------


def test_checkin_stores_yes_and_no_answers(both: Diary) -> None:
    data = both.json(
        "checkin",
        "--date",
        _day(1),
        "--yes",
        "muscle_weakness",
        "--no",
        "difficulty_swallowing,slurred_speech",
        "--sleep",
        "7",
        "--stress",
        "3",
    )
    assert isinstance(data, dict)
    store = both.store()
    (ci,) = store.list_checkins(store.local_user())
    assert ci.id == data["id"] and ci.on_date.isoformat() == _day(1)
    assert ci.answers == {
        "muscle_weakness": True,
        "difficulty_swallowing": False,
        "slurred_speech": False,
    }
    assert (ci.sleep_hours, ci.stress, ci.caffeine_cups) == (7.0, 3, None)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--yes", "muscle_weaknes"], "did you mean muscle_weakness"),
        (["--yes", "muscle_weakness", "--no", "muscle_weakness"], "both yes and no"),
        (["--date", "2026-02-30", "--sleep", "7"], "--date"),
        (["--date", f"{TODAY.year + 1}-01-01", "--sleep", "7"], "future"),
        (["--stress", "12"], "--stress"),
        ([], "at least one answer"),
    ],
)
def test_bad_checkins_are_refused(diary: Diary, argv: list[str], needle: str) -> None:
    code, _, err = diary.run("checkin", *argv)
    assert code == 2 and needle in err and "Traceback" not in err
    assert diary.counts() == (0, 0, 0)


def test_profile_shows_sets_and_refuses_bad_values(diary: Diary) -> None:
    code, out, _ = diary.run("profile")
    assert code == 0 and "No profile yet" in out
    code, _, err = diary.run("profile", "--sex", "female")
    assert code == 2 and "--birth-year" in err  # no birth year stored yet
    assert diary.json("profile", "--birth-year", "1990", "--sex", "female") == {
        "birth_year": 1990,
        "sex": "female",
        "time_zone": None,
    }
    code, _, err = diary.run("profile", "--sex", "robot")
    assert code == 2 and "--sex" in err
    code, _, err = diary.run("profile", "--birth-year", str(TODAY.year + 1))
    assert code == 2 and "--birth-year" in err
    # Only the sex changes; the stored birth year is kept.
    assert diary.json("profile", "--sex", "male") == {
        "birth_year": 1990,
        "sex": "male",
        "time_zone": None,
    }
    store = diary.store()
    assert store.profile(store.local_user()).birth_year == 1990


# -- list ------------------------------------------------------------------------------------------


def test_list_filters_by_day_and_limit(diary: Diary) -> None:
    for days_ago in (1, 3, 5, 7):
        diary.run(
            "add", "--when", f"{_day(days_ago)} 09:00", "--where", "twitch_nose", "--seconds", "2"
        )
    listed = diary.json("list")
    assert isinstance(listed, list)
    assert [e["occurred_at"][:10] for e in listed] == [_day(d) for d in (1, 3, 5, 7)]
    window = diary.json("list", "--since", _day(5), "--until", _day(3))
    assert isinstance(window, list)
    assert [e["occurred_at"][:10] for e in window] == [_day(3), _day(5)]
    limited = diary.json("list", "--limit", "2")
    assert isinstance(limited, list) and len(limited) == 2
    code, out, _ = diary.run("list")
    assert code == 0 and "Episodes" in out and _day(7) in out
    code, _, err = diary.run("list", "--since", _day(1), "--until", _day(3))
    assert code == 2 and "--since" in err
    code, _, err = diary.run("list", "--until", "soon")
    assert code == 2 and "--until" in err


def test_list_checkins_and_assessments(diary: Diary) -> None:
    diary.run("checkin", "--date", _day(2), "--no", "muscle_weakness")
    diary.run("checkin", "--date", _day(1), "--yes", "muscle_weakness")
    checkins = diary.json("list", "--checkins")
    assert isinstance(checkins, list)
    assert [c["on_date"] for c in checkins] == [_day(2), _day(1)]
    assert diary.json("list", "--assessments") == []
    diary.run("profile", "--birth-year", "1980", "--sex", "male")
    diary.run("status")
    (record,) = diary.json("list", "--assessments")  # type: ignore[misc]
    assert record["origin"] == "diary"
    code, out, _ = diary.run("list", "--checkins")
    assert code == 0 and "Check-ins (2)" in out


# -- status -------------------------------------------------------------------------------------


def _worrying_diary(d: Diary) -> None:
    """Nose twitches for weeks, then weakness and twitching in the limbs recently."""
    for days_ago in range(40, 15, -2):
        d.run(
            "add", "--when", f"{_day(days_ago)} 10:00", "--where", "twitch_nose", "--seconds", "5"
        )
    d.run("checkin", "--date", _day(30), "--no", "muscle_weakness,difficulty_swallowing")
    for days_ago in (6, 4, 2):
        d.run(
            "add",
            "--when",
            f"{_day(days_ago)} 10:00",
            "--where",
            "twitch_limbs_or_trunk",
            "--seconds",
            "20",
        )
    d.run("checkin", "--date", _day(1), "--yes", "muscle_weakness", "--no", "difficulty_swallowing")


def test_status_triages_afresh_and_records_it(both: Diary) -> None:
    both.run("profile", "--birth-year", "1970", "--sex", "male")
    _worrying_diary(both)
    data = both.json("status")
    assert isinstance(data, dict)
    prog = data["progression"]
    assert prog["needs_profile"] is False and prog["worsening"] is True
    assert {c["kind"] for c in prog["changes"]} >= {"new_red_flag", "new_location"}
    assert "muscle_weakness" in prog["present"]
    assert data["trends"]["total_episodes"] == 16
    assert {e["factor"] for e in data["triggers"]["effects"]} == {
        "caffeine_cups",
        "sleep_hours",
        "stress",
    }
    store = both.store()
    (record,) = store.list_assessments(store.local_user())
    assert record.id == prog["record_id"] and record.triage == prog["triage_level"]
    assert record.origin == "diary"
    # The readable form shows the level and the reason before anything else.
    code, out, _ = both.run("status")
    assert code == 0
    head = out[: out.index("Episodes:")]
    assert f"Triage: {prog['triage_level'].replace('_', ' ')}" in head
    assert "Muscle weakness" in head
    # Triggers in lay words; the method stays in the docs and the JSON (issue 19).
    assert "How to read this" in out
    for jargon in ("Poisson", "sandwich", "regression", "least squares"):
        assert jargon not in out, jargon
    assert "Poisson" in data["triggers"]["method"]


def test_status_without_a_profile_says_what_is_needed(diary: Diary) -> None:
    diary.run("add", "--when", f"{_day(1)} 10:00", "--where", "twitch_nose", "--seconds", "5")
    code, out, _ = diary.run("status")
    assert code == 0 and "No fresh triage" in out and "Triage:" not in out
    assert diary.counts() == (1, 0, 0)  # nothing recorded without age and sex


# -- report, export, import ---------------------------------------------------------------------


def test_report_writes_the_pdf_or_a_folder_of_charts(diary: Diary, tmp_path: Path) -> None:
    diary.run("profile", "--birth-year", "1990", "--sex", "female")
    _worrying_diary(diary)
    pdf = tmp_path / "report.pdf"
    code, out, err = diary.run("report", "--out", str(pdf))
    assert code == 0, err
    assert out.split() == [str(pdf)]
    assert pdf.read_bytes().startswith(b"%PDF")
    folder = tmp_path / "charts"
    code, out, err = diary.run("report", "--out", f"{folder}/")
    assert code == 0, err
    paths = [Path(p) for p in out.split()]
    assert all(p.exists() and p.parent == folder for p in paths)
    suffixes = {p.suffix for p in paths}
    assert suffixes == {".png", ".svg", ".pdf"}


def test_export_then_import_round_trip_without_duplicates(
    both: Diary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for days_ago in (3, 2, 1):
        both.run(
            "add", "--when", f"{_day(days_ago)} 07:15", "--where", "twitch_eyelid", "--seconds", "4"
        )
    both.run("checkin", "--date", _day(1), "--no", "muscle_weakness")
    out_dir, fhir = tmp_path / "csv", tmp_path / "diary.fhir.json"
    code, out, err = both.run("export", "--csv", str(out_dir), "--fhir", str(fhir))
    assert code == 0, err
    assert str(fhir) in out and str(out_dir / "episodes.csv") in out
    with (out_dir / "episodes.csv").open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 3
    bundle = json.loads(fhir.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    # The export holds 3 episodes and 1 check-in answer: one Observation each.
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Observation") == 4

    fresh = Diary(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", capsys)
    report = fresh.json("import", str(out_dir))
    assert isinstance(report, dict)
    assert (report["added"], report["skipped_duplicates"]) == (4, 0)
    again = fresh.json("import", str(out_dir))
    assert isinstance(again, dict)
    assert (again["added"], again["skipped_duplicates"]) == (0, 4)
    assert fresh.counts()[:2] == (3, 1)
    # Importing into the diary it came from adds nothing either.
    code, out, _ = both.run("import", str(out_dir / "episodes.csv"))
    assert code == 0 and "added 0, skipped 3" in out


def test_import_refuses_a_bad_row_whole(diary: Diary, tmp_path: Path) -> None:
    diary.run("add", "--when", f"{_day(1)} 07:15", "--where", "twitch_nose", "--seconds", "4")
    out_dir = tmp_path / "csv"
    assert diary.run("export", "--csv", str(out_dir))[0] == 0
    path = out_dir / "episodes.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    good = dict(rows[0], uid="new-1", occurred_at=f"{_day(2)}T08:00:00")
    bad = dict(rows[0], uid="new-2", duration_seconds="-3")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([good, bad])
    code, out, err = diary.run("import", str(path))
    assert code == 2, (out, err)
    assert "row 2" in err and "duration_seconds" in err and "Traceback" not in err
    assert diary.counts()[0] == 1  # the good row was not stored either
    code, _, err = diary.run("import", str(tmp_path / "missing.csv"))
    assert code == 2 and "does not exist" in err


def test_export_needs_a_target(diary: Diary) -> None:
    code, _, err = diary.run("export")
    assert code == 2 and "--csv" in err


def test_progress_bars_leave_piped_output_clean(diary: Diary, tmp_path: Path) -> None:
    for days_ago in (2, 1):
        diary.run(
            "add", "--when", f"{_day(days_ago)} 07:15", "--where", "twitch_nose", "--seconds", "4"
        )
    code, out, err = diary.run("export", "--csv", str(tmp_path / "x"))
    assert code == 0
    assert "\x1b[" not in out + err  # no terminal control codes when not a terminal
    assert set(out.splitlines()) == {str(p) for p in (tmp_path / "x").iterdir()}
    code, out, err = diary.run("import", str(tmp_path / "x"))
    assert code == 0 and "\x1b[" not in out + err
    assert out.strip().startswith("Read ")


# -- delete -----------------------------------------------------------------------------------------


def test_delete_each_kind_and_unknown_ids(both: Diary) -> None:
    ep = both.json("add", "--where", "twitch_nose", "--seconds", "3")
    ci = both.json("checkin", "--sleep", "6")
    assert isinstance(ep, dict) and isinstance(ci, dict)
    code, _, err = both.run("delete", str(ep["id"] + 100))
    assert code == 2 and "Traceback" not in err
    assert both.counts() == (1, 1, 0)
    assert both.run("delete", str(ep["id"]))[0] == 0
    assert both.run("delete", "--checkin", str(ci["id"]))[0] == 0
    assert both.counts() == (0, 0, 0)
    code, _, err = both.run("delete", "--assessment", "7")
    assert code == 2
    code, _, err = both.run("delete")
    assert code == 2 and "exactly one" in err


def test_delete_all_needs_confirmation(
    diary: Diary, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    diary.run("add", "--where", "twitch_nose", "--seconds", "3")
    diary.run("checkin", "--sleep", "6")
    # Not a terminal and no --yes: refused, nothing deleted.
    code, _, err = diary.run("delete", "--all")
    assert code == 2 and "--yes" in err
    assert diary.counts() == (1, 1, 0)
    # A terminal: the answer decides.
    monkeypatch.setattr(data_commands, "is_terminal", lambda: True)
    runner = CliRunner()
    said_no = runner.invoke(
        app, ["diary", "--database-url", sqlite_url, "delete", "--all"], input="n\n"
    )
    assert said_no.exit_code == 1 and diary.counts() == (1, 1, 0)
    said_yes = runner.invoke(
        app, ["diary", "--database-url", sqlite_url, "delete", "--all"], input="y\n"
    )
    assert said_yes.exit_code == 0, said_yes.output
    assert "Deleted 1 episodes, 1 check-ins" in said_yes.output
    assert diary.counts() == (0, 0, 0)
    diary.run("add", "--where", "twitch_nose", "--seconds", "3")
    monkeypatch.setattr(data_commands, "is_terminal", lambda: False)
    code, out, _ = diary.run("delete", "--all", "--yes")
    assert code == 0 and "Deleted 1 episodes" in out and diary.counts() == (0, 0, 0)


def test_database_url_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    monkeypatch.setenv("TWITCHCHECK_DATABASE_URL", url)
    assert main(["diary", "add", "--where", "twitch_nose", "--seconds", "3"]) == 0
    assert Diary(url, capsys).counts() == (1, 0, 0)
    # Without either, the diary lives in TWITCHCHECK_DATA_DIR.
    monkeypatch.delenv("TWITCHCHECK_DATABASE_URL")
    assert main(["diary", "add", "--where", "twitch_nose", "--seconds", "3"]) == 0
    assert (tmp_path / "data" / "diary.sqlite3").exists()


def test_assess_save_keeps_the_assessment_and_its_evidence_in_the_diary(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWITCHCHECK_DATABASE_URL", sqlite_url)
    argv = ["assess", "--age", "34", "--sex", "female", "--yes", "twitch_nose", "--no"]
    code = main([*argv, "muscle_weakness", "--json", "--save"])
    out, err = capsys.readouterr()
    assert code == 0, err
    printed = json.loads(out)  # the JSON on stdout is unchanged by --save
    assert "Saved to your diary as assessment" in err
    diary = Diary(sqlite_url, capsys)
    (record,) = diary.store().list_assessments(diary.store().local_user())
    assert record.origin == "manual"
    assert record.result == printed
    assert record.triage == printed["triage"]["level"]
    assert record.top_cause == printed["causes"][0]["id"]
    assert record.evidence["evidence"] == [
        {"id": "twitch_nose", "choice": "present", "initial": False},
        {"id": "muscle_weakness", "choice": "absent", "initial": False},
    ]
    # Without --save nothing is kept.
    assert main([*argv, "muscle_weakness"]) == 0
    assert len(diary.store().list_assessments(diary.store().local_user())) == 1
