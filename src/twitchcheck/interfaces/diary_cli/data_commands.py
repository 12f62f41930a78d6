"""``diary export``, ``diary import``, ``diary delete``: the person's data out, in, and gone."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from twitchcheck.errors import InputError, RecordError
from twitchcheck.interfaces.cli_common import out_console
from twitchcheck.interfaces.diary_cli.common import open_diary, print_entry_json, progress


def export_cmd(
    ctx: typer.Context,
    csv_dir: Annotated[
        Path | None,
        typer.Option("--csv", help="Write episodes, check-ins, assessments and the profile here."),
    ] = None,
    fhir: Annotated[
        Path | None, typer.Option("--fhir", help="Write a FHIR R4B Bundle (JSON) to this file.")
    ] = None,
) -> None:
    """Export everything as CSV files and/or a FHIR R4B Bundle."""
    if csv_dir is None and fhir is None:
        raise InputError("Say where to export: --csv DIR and/or --fhir FILE.json.")
    from twitchcheck.diary.exchange import export_csv, export_fhir

    store, user = open_diary(ctx)
    written: list[Path] = []
    if csv_dir is not None:
        with progress("Exporting episodes", store.count_episodes(user)) as advance:
            written += export_csv(store, user, csv_dir, progress=advance)
    if fhir is not None:
        with progress("Building the FHIR Bundle", None):
            bundle = export_fhir(store, user, store.kb)
            fhir.parent.mkdir(parents=True, exist_ok=True)
            fhir.write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(fhir)
    for path in written:
        out_console().print(escape(str(path)), soft_wrap=True)


def _rows_in(path: Path) -> int | None:
    """How many data rows the episodes file has (for the progress bar); None if unknown."""
    target = path / "episodes.csv" if path.is_dir() else path
    try:
        with target.open("rb") as fh:
            return max(
                0, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1
            )
    except OSError:
        return None


def import_cmd(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="An episodes.csv file, or an export folder (episodes.csv, and checkins.csv, "
            "assessments.csv, profile.csv if there)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Import a CSV export; rows already in the diary are skipped, a bad row stores nothing."""
    from twitchcheck.diary.exchange import import_csv

    if not path.exists():
        raise RecordError([("path", f"{path} does not exist")])
    store, user = open_diary(ctx)
    with progress("Importing", _rows_in(path)) as advance:
        report = import_csv(store, user, path, progress=advance)
    if as_json:
        print_entry_json(report.model_dump(mode="json"))
        return
    out_console().print(
        f"Read {report.rows} rows: added {report.added}, skipped {report.skipped_duplicates} "
        "already in the diary."
    )


def is_terminal() -> bool:
    """Whether a person can answer a question (standard input is a terminal)."""
    return sys.stdin.isatty()


def delete_cmd(
    ctx: typer.Context,
    episode: Annotated[int | None, typer.Argument(metavar="[ID]", help="An episode id.")] = None,
    checkin: Annotated[int | None, typer.Option("--checkin", help="A check-in id.")] = None,
    assessment: Annotated[
        int | None, typer.Option("--assessment", help="A recorded assessment id.")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Delete every entry of the diary.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an episode, a check-in, an assessment, or (with --all) everything."""
    chosen = [x for x in (episode, checkin, assessment) if x is not None]
    if len(chosen) + everything != 1:
        raise InputError(
            "Give exactly one of: an episode ID, --checkin ID, --assessment ID, --all."
        )
    store, user = open_diary(ctx)
    out = out_console()
    if everything:
        if not yes:
            if not is_terminal():
                raise InputError(
                    "Refusing to delete the whole diary without confirmation: add --yes."
                )
            if not typer.confirm("Delete every episode, check-in and assessment?", default=False):
                out.print("Nothing was deleted.")
                raise typer.Exit(1)
        report = store.delete_all(user)
        out.print(
            f"Deleted {report.episodes} episodes, {report.checkins} check-ins and "
            f"{report.assessments} assessments."
        )
    elif episode is not None:
        store.delete_episode(user, episode)
        out.print(f"Deleted episode {episode}.")
    elif checkin is not None:
        store.delete_checkin(user, checkin)
        out.print(f"Deleted check-in {checkin}.")
    elif assessment is not None:
        store.delete_assessment(user, assessment)
        out.print(f"Deleted assessment {assessment}.")
