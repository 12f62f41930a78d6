"""Everything in the diary out as CSV, and episodes and check-ins back in.

CSV (UTF-8, one header row, ISO dates): ``episodes.csv``, ``checkins.csv``, ``assessments.csv``.
List fields are joined with ``;`` (a ``;`` or ``\\`` inside an item escaped with a backslash);
check-in answers are written ``finding=yes;finding=no``; an empty cell is "not recorded". A cell
that a spreadsheet would run as a formula is written with one ``'`` in front, and one leading
``'`` is removed from every cell on import (see :mod:`.csv_cells`). Every row carries its
``uid``, so importing an export back, or the same file twice, adds nothing. Row numbers in error messages count data rows (the header is not
a row): "row 7" is the seventh line below the header.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from twitchcheck.diary.csv_cells import guard, join_list, split_list, unguard
from twitchcheck.diary.schemas import (
    CheckInIn,
    EpisodePublic,
    ImportReport,
    parse_checkin,
    parse_episode,
)
from twitchcheck.diary.service import DiaryStore, Progress, UserRef
from twitchcheck.errors import RecordError

EPISODE_COLUMNS = (
    "uid",
    "occurred_at",
    "locations",
    "side",
    "duration_seconds",
    "intensity",
    "caffeine_cups",
    "sleep_hours",
    "stress",
    "exercise",
    "alcohol_units",
    "medicines",
    "medicine_changed",
    "note",
)
CHECKIN_COLUMNS = ("uid", "on_date", "answers", "caffeine_cups", "sleep_hours", "stress", "note")
ASSESSMENT_COLUMNS = (
    "uid",
    "created_at",
    "origin",
    "triage",
    "top_cause",
    "age",
    "sex",
    "present",
    "absent",
    "kb_version",
)
LIST_FIELDS = ("locations", "medicines")
BOOL_FIELDS = ("exercise", "medicine_changed")
TRUE_WORDS = {"yes", "true", "1", "y"}
FALSE_WORDS = {"no", "false", "0", "n"}


class CsvImportReport(ImportReport):
    """The totals over both files, and each file's own report."""

    episodes: ImportReport
    checkins: ImportReport | None


# -- CSV export --------------------------------------------------------------------------------


class _Writer:
    """A csv writer that quotes every cell a spreadsheet would run as a formula."""

    def __init__(self, fh: TextIO) -> None:
        self._w = csv.writer(fh)

    def writerow(self, cells: Iterable[str]) -> None:
        self._w.writerow([guard(cell) for cell in cells])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return join_list(str(v) for v in value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _episode_cells(ep: EpisodePublic) -> list[str]:
    data = ep.model_dump()
    return [_cell(data[c]) for c in EPISODE_COLUMNS]


def export_csv(
    store: DiaryStore,
    user: UserRef,
    out_dir: Path,
    progress: Progress | None = None,
) -> list[Path]:
    """Write episodes.csv, checkins.csv and assessments.csv into ``out_dir`` (created).

    Episodes are streamed from the store in batches: a million rows never sit in memory.
    ``progress`` is called with the number of rows written since its last call.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "episodes.csv", out_dir / "checkins.csv", out_dir / "assessments.csv"]
    with paths[0].open("w", newline="", encoding="utf-8") as fh:
        w = _Writer(fh)
        w.writerow(EPISODE_COLUMNS)
        pending = 0
        for ep in store.iter_episodes(user):
            w.writerow(_episode_cells(ep))
            pending += 1
            if progress and pending == 10_000:
                progress(pending)
                pending = 0
        if progress and pending:
            progress(pending)
    with paths[1].open("w", newline="", encoding="utf-8") as fh:
        w = _Writer(fh)
        w.writerow(CHECKIN_COLUMNS)
        for c in store.iter_checkins(user):
            answers = join_list(f"{k}={'yes' if v else 'no'}" for k, v in c.answers.items())
            w.writerow(
                [
                    c.uid,
                    c.on_date.isoformat(),
                    answers,
                    _cell(c.caffeine_cups),
                    _cell(c.sleep_hours),
                    _cell(c.stress),
                    _cell(c.note),
                ]
            )
    with paths[2].open("w", newline="", encoding="utf-8") as fh:
        w = _Writer(fh)
        w.writerow(ASSESSMENT_COLUMNS)
        for a in store.iter_assessments(user):
            ev = a.evidence
            w.writerow(
                [
                    a.uid,
                    a.created_at.isoformat(),
                    a.origin,
                    a.triage,
                    a.top_cause,
                    _cell(ev.get("age")),
                    _cell(ev.get("sex")),
                    _cell(list(ev.get("present", []))),
                    _cell(list(ev.get("absent", []))),
                    _cell(a.result.get("kb_version")),
                ]
            )
    return paths


# -- CSV import --------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    return split_list(text)


def _bool(text: str) -> bool | str:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return text  # pydantic then names the field and says it is not a boolean


def _episode_data(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, raw in row.items():
        text = (raw or "").strip()
        if key in LIST_FIELDS:
            data[key] = _split(text)
        elif text == "":
            continue  # not recorded
        elif key in BOOL_FIELDS:
            data[key] = _bool(text)
        else:
            data[key] = text
    return data


def _checkin_data(row: dict[str, str], where: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, raw in row.items():
        text = (raw or "").strip()
        if key == "answers":
            answers: dict[str, bool] = {}
            for part in _split(text):
                fid, sep, value = part.partition("=")
                word = value.strip().lower()
                if not sep or word not in TRUE_WORDS | FALSE_WORDS:
                    raise RecordError(
                        [
                            (
                                f"{where}answers",
                                f"'{part}' should be written finding=yes or finding=no",
                            )
                        ]
                    )
                answers[fid.strip()] = word in TRUE_WORDS
            data["answers"] = answers
        elif text:
            data[key] = text
    return data


def _reader(
    path: Path, columns: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with its header checked; yields (data row number, row)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        unknown = [c for c in header if c not in columns]
        if missing or unknown:
            problems = [(f"{path.name}: header", f"missing column '{c}'") for c in missing]
            problems += [(f"{path.name}: header", f"unknown column '{c}'") for c in unknown]
            raise RecordError(problems)
        for number, row in enumerate(reader, start=1):
            if None in row:  # more cells than the header has
                raise RecordError([(f"row {number}", "more cells than the header has columns")])
            yield number, {k: unguard(v or "") for k, v in row.items()}


def _episodes_from(path: Path) -> Iterator[Any]:
    """Parsed episodes, or a RecordError in place of each bad row (the store collects them)."""
    for number, row in _reader(
        path, EPISODE_COLUMNS, ("occurred_at", "locations", "duration_seconds")
    ):
        try:
            yield parse_episode(_episode_data(row), where=f"row {number}: ")
        except RecordError as exc:
            yield exc


def _checkins_from(path: Path) -> list[CheckInIn | RecordError]:
    out: list[CheckInIn | RecordError] = []
    for number, row in _reader(path, CHECKIN_COLUMNS, ("on_date",)):
        where = f"row {number}: "
        try:
            out.append(parse_checkin(_checkin_data(row, where), where=where))
        except RecordError as exc:
            out.append(exc)
    return out


def import_csv(
    store: DiaryStore,
    user: UserRef,
    path: Path,
    progress: Progress | None = None,
) -> CsvImportReport:
    """Import ``episodes.csv`` (a file, or a folder holding it and optionally ``checkins.csv``).

    Every row is validated: any bad row raises one :class:`RecordError` listing every problem
    (row number and field) and nothing is stored. Both files are stored in one transaction. Rows already in the diary (same uid, or the
    same whole content when there is no uid) are skipped.
    """
    if path.is_dir():
        episodes_path = path / "episodes.csv"
        beside = path / "checkins.csv"
        checkins_path: Path | None = beside if beside.exists() else None
    else:
        episodes_path, checkins_path = path, None
    if not episodes_path.exists():
        raise RecordError([("path", f"no episodes.csv at {episodes_path}")])

    # Check-ins are few: read and check them all first, so a bad check-in row stops the
    # import before any episode is stored.
    checkins: list[CheckInIn | RecordError] = []
    if checkins_path is not None:
        checkins = _checkins_from(checkins_path)
        problems: list[tuple[str, str]] = []
        for item in checkins:
            if isinstance(item, RecordError):
                problems.extend((f"checkins.csv {w}", msg) for w, msg in item.problems)
        for number, item in enumerate(checkins, start=1):
            if isinstance(item, CheckInIn):
                try:
                    store.check_checkin(item, where=f"checkins.csv row {number}: ")
                except RecordError as exc:
                    problems.extend(exc.problems)
        if problems:
            raise RecordError(problems)
    # One transaction for both files: killed between them, nothing of either is stored.
    ep_report, ck_report = store.import_entries(
        user,
        _episodes_from(episodes_path),
        checkins if checkins_path is not None else None,
        progress,
    )
    reports = [ep_report] + ([ck_report] if ck_report else [])
    return CsvImportReport(
        rows=sum(r.rows for r in reports),
        added=sum(r.added for r in reports),
        skipped_duplicates=sum(r.skipped_duplicates for r in reports),
        episodes=ep_report,
        checkins=ck_report,
    )
