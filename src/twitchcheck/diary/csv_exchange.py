"""Everything in the diary out as CSV (the import is :mod:`.csv_import`).

CSV (UTF-8, one header row, ISO dates): ``episodes.csv``, ``checkins.csv``, ``assessments.csv``
and ``profile.csv`` (birth year, sex and time zone, one row). An assessment's row carries its evidence and
its full result as compact JSON (``evidence``, ``result``) beside the readable columns, so that
export, import and export again give the same files.
List fields are joined with ``;`` (a ``;`` or ``\\`` inside an item escaped with a backslash);
check-in answers are written ``finding=yes;finding=no``; an empty cell is "not recorded". A cell
that a spreadsheet would run as a formula is written with one ``'`` in front, and one leading
``'`` is removed from every cell on import (see :mod:`.csv_cells`). Every row carries its
``uid``, so importing an export back, or the same file twice, adds nothing. Episodes and
check-ins carry the IANA ``time_zone`` they were made in (empty: not known; a file without the
column imports as before, its rows without a zone: the import does not guess one). Row numbers
in error messages count data rows (the header is not a row): "row 7" is the seventh line below
the header.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from twitchcheck.diary.csv_cells import guard, join_list
from twitchcheck.diary.schemas import EpisodePublic
from twitchcheck.diary.service import DiaryStore, Progress, UserRef

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
    "time_zone",
)
CHECKIN_COLUMNS = (
    "uid",
    "on_date",
    "answers",
    "caffeine_cups",
    "sleep_hours",
    "stress",
    "note",
    "time_zone",
)
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
    "evidence",
    "result",
)
PROFILE_COLUMNS = ("birth_year", "sex", "time_zone")
#: The columns a file must have; ``time_zone`` came later (issue 20) and may be missing.
PROFILE_REQUIRED = ("birth_year", "sex")

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
    """Write episodes.csv, checkins.csv, assessments.csv and profile.csv into ``out_dir``.

    Episodes are streamed from the store in batches: a million rows never sit in memory.
    ``progress`` is called with the number of rows written since its last call.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    names = ("episodes.csv", "checkins.csv", "assessments.csv", "profile.csv")
    paths = [out_dir / name for name in names]
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
                    _cell(c.time_zone),
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
                    to_json(a.evidence),
                    to_json(a.result),
                ]
            )
    profile = store.profile(user)
    with paths[3].open("w", newline="", encoding="utf-8") as fh:
        w = _Writer(fh)
        w.writerow(PROFILE_COLUMNS)
        w.writerow([_cell(getattr(profile, c)) for c in PROFILE_COLUMNS])
    return paths


def to_json(value: Any) -> str:
    """Compact, canonical JSON: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
