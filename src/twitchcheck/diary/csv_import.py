"""A CSV export (or a file of episodes) back into the diary; the format is :mod:`.csv_exchange`.

A folder may hold ``episodes.csv`` (required), ``checkins.csv``, ``assessments.csv`` and
``profile.csv``; everything is stored in ONE transaction, or nothing is. Row numbers in error
messages count data rows (the header is not a row): "row 7" is the seventh line below the
header. An ``assessments.csv`` written before issue 18 (without the ``result`` column) cannot be
rebuilt and is left out, as it always was.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from twitchcheck.diary.csv_cells import split_list, unguard
from twitchcheck.diary.csv_exchange import (
    ASSESSMENT_COLUMNS,
    CHECKIN_COLUMNS,
    EPISODE_COLUMNS,
    PROFILE_COLUMNS,
    PROFILE_REQUIRED,
)
from twitchcheck.diary.schemas import (
    AssessmentIn,
    CheckInIn,
    ImportReport,
    ProfileIn,
    parse_assessment,
    parse_checkin,
    parse_episode,
    parse_profile,
)
from twitchcheck.diary.service import DiaryStore, Progress, UserRef
from twitchcheck.errors import RecordError

LIST_FIELDS = ("locations", "medicines")
BOOL_FIELDS = ("exercise", "medicine_changed")
JSON_FIELDS = ("evidence", "result")
TRUE_WORDS = {"yes", "true", "1", "y"}
FALSE_WORDS = {"no", "false", "0", "n"}
#: The largest cell read (characters): an assessment's full result is tens of kilobytes.
MAX_CELL = 4 * 1024 * 1024


class CsvImportReport(ImportReport):
    """The totals over every file, and each file's own report (None: no such file)."""

    episodes: ImportReport
    checkins: ImportReport | None
    assessments: ImportReport | None = None
    #: "set" (the diary had none), "same", "kept" (the diary's own differs and is kept), or None.
    profile: str | None = None


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
        text = raw.strip()
        if key in LIST_FIELDS:
            data[key] = split_list(text)
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
        text = raw.strip()
        if key == "answers":
            answers: dict[str, bool] = {}
            for part in split_list(text):
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


def _assessment_data(row: dict[str, str], where: str) -> dict[str, Any]:
    """Only what the row holds in full; the readable columns are derived from it on export."""
    data: dict[str, Any] = {k: row.get(k, "").strip() for k in ("uid", "created_at", "origin")}
    for key in JSON_FIELDS:
        try:
            data[key] = json.loads(row.get(key, ""))
        except ValueError:
            raise RecordError([(f"{where}{key}", "is not valid JSON")]) from None
    return data


def _text_lines(fh: BinaryIO) -> Iterator[str]:
    """The file's lines as text. A byte that is not UTF-8 is kept as a stand-in character
    (surrogateescape), so the parser finds the row and the field that hold it."""
    for number, raw in enumerate(fh):
        if number == 0:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        yield raw.decode("utf-8", errors="surrogateescape")


def _cell_problem(value: str) -> str | None:
    if "\x00" in value:
        return "holds a NUL byte (the file is probably not a CSV text file)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not UTF-8 text (save the file as UTF-8)"
    if len(value) > MAX_CELL:
        return f"is longer than {MAX_CELL} characters"
    return None


def _reader(
    path: Path, columns: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with its header checked; yields (data row number, row).

    A cell that is not UTF-8, holds a NUL byte or is too long is an input error naming its row
    and field (never an internal error).
    """
    # The parser's own limit sits above MAX_CELL so that an over-long cell is named with its
    # field below; only a cell beyond even this limit is named by its row alone.
    csv.field_size_limit(4 * MAX_CELL)
    number = 0
    with path.open("rb") as fh:
        try:
            reader = csv.DictReader(_text_lines(fh))
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            unknown = [c for c in header if c not in columns]
            if missing or unknown:
                problems = [(f"{path.name}: header", f"missing column '{c}'") for c in missing]
                problems += [(f"{path.name}: header", f"unknown column {c!r}") for c in unknown]
                raise RecordError(problems)
            for number, row in enumerate(reader, start=1):
                if None in row:  # more cells than the header has
                    raise RecordError([(f"row {number}", "more cells than the header has columns")])
                bad = [(k, p) for k, v in row.items() if v and (p := _cell_problem(v))]
                if bad:
                    raise RecordError([(f"row {number}: {k}", p) for k, p in bad])
                yield number, {k: unguard(v or "") for k, v in row.items()}
        except csv.Error as exc:  # e.g. a cell beyond the parser's limit
            raise RecordError([(f"row {number + 1}", f"cannot be read as CSV: {exc}")]) from None


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


def _assessments_from(path: Path) -> list[AssessmentIn | RecordError] | None:
    """None for a file written before issue 18 (no ``result`` column: it cannot be rebuilt)."""
    with path.open("rb") as fh:
        header = next(csv.reader(_text_lines(fh)), [])
    if "result" not in header:
        return None
    out: list[AssessmentIn | RecordError] = []
    for number, row in _reader(path, ASSESSMENT_COLUMNS, ("uid", "created_at", "origin")):
        where = f"assessments.csv row {number}: "
        try:
            out.append(parse_assessment(_assessment_data(row, where), where=where))
        except RecordError as exc:
            out.append(exc)
    return out


def _profile_from(path: Path) -> ProfileIn | None:
    rows = list(_reader(path, PROFILE_COLUMNS, PROFILE_REQUIRED))
    if len(rows) > 1:
        raise RecordError([("profile.csv", "holds more than one row")])
    if not rows or not any(v.strip() for v in rows[0][1].values()):
        return None  # no profile recorded
    data = {k: v.strip() for k, v in rows[0][1].items() if v.strip()}
    return parse_profile(data, where="profile.csv row 1: ")


def _problems(items: list[Any], store: DiaryStore) -> list[tuple[str, str]]:
    """Every problem of the check-ins, read and checked before anything is stored."""
    problems: list[tuple[str, str]] = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, RecordError):
            problems.extend((f"checkins.csv {w}", msg) for w, msg in item.problems)
        elif isinstance(item, CheckInIn):
            try:
                store.check_checkin(item, where=f"checkins.csv row {number}: ")
            except RecordError as exc:
                problems.extend(exc.problems)
    return problems


def import_csv(
    store: DiaryStore,
    user: UserRef,
    path: Path,
    progress: Progress | None = None,
) -> CsvImportReport:
    """Import ``episodes.csv`` (a file, or a folder holding it and optionally ``checkins.csv``,
    ``assessments.csv`` and ``profile.csv``).

    Every row is validated: any bad row raises one :class:`RecordError` listing every problem
    (row number and field) and nothing is stored. Everything is stored in one transaction.
    Rows already in the diary (same uid, or the same whole content when there is no uid) are
    skipped. The profile is set only when the diary has none.
    """
    beside: dict[str, Path] = {}
    if path.is_dir():
        episodes_path = path / "episodes.csv"
        for name in ("checkins.csv", "assessments.csv", "profile.csv"):
            if (path / name).exists():
                beside[name] = path / name
    else:
        episodes_path = path
    if not episodes_path.exists():
        raise RecordError([("path", f"no episodes.csv at {episodes_path}")])

    # The other files are small: read and check them all first, so a bad row in one of them
    # stops the import before any episode is read.
    checkins = _checkins_from(beside["checkins.csv"]) if "checkins.csv" in beside else None
    problems = _problems(checkins or [], store)
    assessments = None
    profile = None
    try:
        if "assessments.csv" in beside:
            assessments = _assessments_from(beside["assessments.csv"])
        if "profile.csv" in beside:
            profile = _profile_from(beside["profile.csv"])
    except RecordError as exc:
        problems.extend(exc.problems)
    problems += [p for a in assessments or [] if isinstance(a, RecordError) for p in a.problems]
    if problems:
        raise RecordError(problems)
    parts = store.import_entries(
        user,
        _episodes_from(episodes_path),
        checkins,
        progress,
        assessments=[a for a in assessments or [] if isinstance(a, AssessmentIn)]
        if assessments is not None
        else None,
        profile=profile,
    )
    reports = [r for r in (parts.episodes, parts.checkins, parts.assessments) if r is not None]
    return CsvImportReport(
        rows=sum(r.rows for r in reports),
        added=sum(r.added for r in reports),
        skipped_duplicates=sum(r.skipped_duplicates for r in reports),
        episodes=parts.episodes,
        checkins=parts.checkins,
        assessments=parts.assessments,
        profile=parts.profile,
    )
