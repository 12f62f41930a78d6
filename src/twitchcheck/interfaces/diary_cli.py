"""``twitchcheck diary ...``: the twitch diary on the command line.

Thin wrappers over :class:`twitchcheck.diary.service.DiaryStore` and the analysis, report and
exchange modules. Single user (the store's local user). The database is ``--database-url``, else
``$TWITCHCHECK_DATABASE_URL``, else SQLite in the user's data folder (``$TWITCHCHECK_DATA_DIR``).
Errors are raised as :class:`~twitchcheck.errors.TwitchcheckError` and turned into exit codes by
``twitchcheck.interfaces.cli.main`` (bad input: exit 2, one line, nothing stored).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from twitchcheck.errors import InputError, RecordError

if TYPE_CHECKING:
    from twitchcheck.api import Checker
    from twitchcheck.diary.service import DiaryStore, UserRef

diary_app = typer.Typer(
    help="The twitch diary: record episodes and check-ins, see trends, triggers and changes, "
    "make a report for your doctor, export and import.",
    no_args_is_help=True,
)

#: The option each stored field comes from, so an error names what the person typed.
EPISODE_OPTIONS = {
    "occurred_at": "--when",
    "locations": "--where",
    "side": "--side",
    "duration_seconds": "--seconds",
    "intensity": "--intensity",
    "caffeine_cups": "--caffeine",
    "sleep_hours": "--sleep",
    "stress": "--stress",
    "exercise": "--exercise",
    "alcohol_units": "--alcohol",
    "medicines": "--medicine",
    "medicine_changed": "--medicine-changed",
    "note": "--note",
}
CHECKIN_OPTIONS = {
    "on_date": "--date",
    "answers": "--yes/--no",
    "caffeine_cups": "--caffeine",
    "sleep_hours": "--sleep",
    "stress": "--stress",
    "note": "--note",
}
PROFILE_OPTIONS = {"birth_year": "--birth-year", "sex": "--sex"}
LEVEL_STYLES = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "routine": "bold cyan",
    "self_care": "bold green",
}


@dataclass
class DiaryContext:
    """What the group option chose; the store is opened on first use (``--help`` stays fast)."""

    url: str | None
    _opened: tuple[DiaryStore, UserRef] | None = field(default=None, repr=False)

    def open(self) -> tuple[DiaryStore, UserRef]:
        if self._opened is None:
            from twitchcheck.diary.service import DiaryStore
            from twitchcheck.kb.loader import load_kb
            from twitchcheck.storage.db import make_engine, migrate

            engine = make_engine(self.url)
            migrate(engine)
            store = DiaryStore(engine, load_kb())
            self._opened = (store, store.local_user())
        return self._opened


@diary_app.callback()
def diary_options(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="TWITCHCHECK_DATABASE_URL",
            help="The diary database (default: SQLite in your data folder).",
            show_envvar=True,
        ),
    ] = None,
) -> None:
    """The twitch diary (single user). This is not a diagnosis: bring the report to a doctor."""
    ctx.obj = DiaryContext(database_url)


# -- helpers ------------------------------------------------------------------------------------


def _out() -> Console:
    return Console(highlight=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _diary(ctx: typer.Context) -> tuple[DiaryStore, UserRef]:
    obj = ctx.find_object(DiaryContext)
    if obj is None:  # the group callback always sets it; this guards direct calls
        obj = DiaryContext(None)
    return obj.open()


def _split(values: list[str] | None) -> list[str]:
    """Accept both repeated options and comma-separated lists."""
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _renamed(exc: RecordError, options: dict[str, str]) -> RecordError:
    """The same problems, each naming the option the person typed (``--seconds``)."""
    problems = []
    for where, msg in exc.problems:
        head, _, rest = where.partition(".")
        if head in options:
            where = options[head] + (f" {rest}" if rest else "")
        problems.append((where, msg))
    return RecordError(problems)


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise RecordError([(option, f"'{value}' is not a date (use YYYY-MM-DD)")]) from None


def _parse_when(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now().replace(second=0, microsecond=0)
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise RecordError(
            [("--when", f"'{value}' is not a date and time (use 'YYYY-MM-DD HH:MM')")]
        ) from None


def _label(store: DiaryStore, finding_id: str) -> str:
    index = store.kb.finding_index.get(finding_id)
    return store.kb.findings[index].label if index is not None else finding_id


def _is_terminal() -> bool:
    return sys.stdin.isatty()


@contextmanager
def _progress(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar on stderr; advance it by calling the yielded function with a count.

    Rich draws nothing animated when stderr is not a terminal, so piped output stays clean.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TimeElapsedColumn,
    )

    with Progress(
        SpinnerColumn(),
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err(),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


# -- add, checkin, profile -----------------------------------------------------------------------


@diary_app.command("add")
def add_cmd(
    ctx: typer.Context,
    where: Annotated[
        list[str],
        typer.Option(
            "--where",
            help="Where it twitched: location ids, comma-separated or repeated "
            "(e.g. twitch_nose,twitch_eyelid).",
        ),
    ],
    seconds: Annotated[float, typer.Option("--seconds", help="How long it lasted, in seconds.")],
    when: Annotated[
        str | None,
        typer.Option("--when", help="When it started, 'YYYY-MM-DD HH:MM' (default: now)."),
    ] = None,
    side: Annotated[str, typer.Option(help="left, right, both or unknown.")] = "unknown",
    intensity: Annotated[
        int | None, typer.Option(help="How strong, 0 (barely) to 10 (strongest).")
    ] = None,
    caffeine: Annotated[float | None, typer.Option(help="Cups of coffee or tea that day.")] = None,
    sleep: Annotated[float | None, typer.Option(help="Hours slept the night before.")] = None,
    stress: Annotated[int | None, typer.Option(help="Stress that day, 0 to 10.")] = None,
    exercise: Annotated[
        bool | None, typer.Option("--exercise/--no-exercise", help="Hard exercise that day?")
    ] = None,
    alcohol: Annotated[float | None, typer.Option(help="Units of alcohol that day.")] = None,
    medicine: Annotated[
        list[str] | None, typer.Option("--medicine", help="A medicine taken (repeatable).")
    ] = None,
    medicine_changed: Annotated[
        bool | None,
        typer.Option("--medicine-changed", help="A medicine was started, stopped or changed."),
    ] = None,
    note: Annotated[str | None, typer.Option(help="A short note.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the stored entry as JSON.")
    ] = False,
) -> None:
    """Record one twitching episode."""
    from twitchcheck.diary.schemas import parse_episode

    data: dict[str, Any] = {
        "occurred_at": _parse_when(when),
        "locations": _split(where),
        "side": side,
        "duration_seconds": seconds,
        "intensity": intensity,
        "caffeine_cups": caffeine,
        "sleep_hours": sleep,
        "stress": stress,
        "exercise": exercise,
        "alcohol_units": alcohol,
        "medicines": [m.strip() for m in medicine or [] if m.strip()],
        "medicine_changed": medicine_changed,
        "note": note,
    }
    store, user = _diary(ctx)
    try:
        entry = parse_episode(data)
        store.check_episode(entry)
    except RecordError as exc:
        raise _renamed(exc, EPISODE_OPTIONS) from None
    saved = store.add_episode(user, entry)
    if as_json:
        _print_json(saved.model_dump(mode="json"))
        return
    places = ", ".join(_label(store, loc) for loc in saved.locations)
    strength = f", intensity {saved.intensity}/10" if saved.intensity is not None else ""
    _out().print(
        f"Saved episode {saved.id}: {saved.occurred_at:%Y-%m-%d %H:%M}, {escape(places)} "
        f"({saved.side}), {saved.duration_seconds:g} s{strength}."
    )


@diary_app.command("checkin")
def checkin_cmd(
    ctx: typer.Context,
    date: Annotated[
        str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")
    ] = None,
    yes: Annotated[
        list[str] | None,
        typer.Option("--yes", "-y", help="Findings you have now (ids, comma-separated)."),
    ] = None,
    no: Annotated[
        list[str] | None,
        typer.Option("--no", "-n", help="Findings you checked and do not have."),
    ] = None,
    caffeine: Annotated[float | None, typer.Option(help="Cups of coffee or tea that day.")] = None,
    sleep: Annotated[float | None, typer.Option(help="Hours slept the night before.")] = None,
    stress: Annotated[int | None, typer.Option(help="Stress that day, 0 to 10.")] = None,
    note: Annotated[str | None, typer.Option(help="A short note.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored check-in.")] = False,
) -> None:
    """Answer the warning signs (weakness, swallowing, speech ...) yes or no for a day."""
    from twitchcheck.diary.schemas import parse_checkin

    present, absent = _split(yes), _split(no)
    both = sorted(set(present) & set(absent))
    if both:
        raise RecordError([("--yes/--no", f"answered both yes and no: {', '.join(both)}")])
    answers = {fid: True for fid in present} | {fid: False for fid in absent}
    data: dict[str, Any] = {
        "on_date": _parse_date(date, "--date") or dt.date.today(),
        "answers": answers,
        "caffeine_cups": caffeine,
        "sleep_hours": sleep,
        "stress": stress,
        "note": note,
    }
    store, user = _diary(ctx)
    try:
        entry = parse_checkin(data)
        store.check_checkin(entry)
    except RecordError as exc:
        raise _renamed(exc, CHECKIN_OPTIONS) from None
    saved = store.add_checkin(user, entry)
    if as_json:
        _print_json(saved.model_dump(mode="json"))
        return
    n_yes = sum(saved.answers.values())
    _out().print(
        f"Saved check-in {saved.id} for {saved.on_date}: {n_yes} yes, "
        f"{len(saved.answers) - n_yes} no."
    )
    if n_yes:
        _out().print("Run [bold]twitchcheck diary status[/bold] to see what this means for you.")


@diary_app.command("profile")
def profile_cmd(
    ctx: typer.Context,
    birth_year: Annotated[int | None, typer.Option(help="Year of birth, e.g. 1990.")] = None,
    sex: Annotated[str | None, typer.Option(help="female or male (used by the engine).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show or set the birth year and sex that the diary's re-triage uses."""
    from pydantic import ValidationError

    from twitchcheck.diary.schemas import ProfileIn, problems_of

    store, user = _diary(ctx)
    current = store.profile(user)
    if birth_year is not None or sex is not None:
        data = {
            "birth_year": birth_year if birth_year is not None else current.birth_year,
            "sex": sex if sex is not None else current.sex,
        }
        missing = [
            (PROFILE_OPTIONS[k], "needed (none stored yet)") for k, v in data.items() if v is None
        ]
        if missing:
            raise RecordError(missing)
        try:
            wanted = ProfileIn.model_validate(data)
        except ValidationError as exc:
            raise _renamed(RecordError(problems_of(exc)), PROFILE_OPTIONS) from None
        current = store.set_profile(user, wanted)
    if as_json:
        _print_json(current.model_dump(mode="json"))
        return
    if current.birth_year is None or current.sex is None:
        _out().print(
            "No profile yet. Set it with [bold]twitchcheck diary profile --birth-year YYYY "
            "--sex female|male[/bold]: the re-triage needs your age and sex."
        )
        return
    _out().print(f"Born {current.birth_year}, {current.sex}.")


# -- list -----------------------------------------------------------------------------------------


@diary_app.command("list")
def list_cmd(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="From this day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this day, YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="At most this many rows.")] = 50,
    checkins: Annotated[bool, typer.Option("--checkins", help="List check-ins instead.")] = False,
    assessments: Annotated[
        bool, typer.Option("--assessments", help="List recorded assessments instead.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List episodes (newest first), or check-ins, or recorded assessments."""
    first = _parse_date(since, "--since")
    last = _parse_date(until, "--until")
    if first and last and first > last:
        raise RecordError([("--since", f"{first} is after --until {last}")])
    if checkins and assessments:
        raise InputError("Choose one of --checkins and --assessments.")
    store, user = _diary(ctx)
    table: Table
    if checkins:
        rows_c = [
            c
            for c in store.list_checkins(user, since=first, limit=100_000)
            if last is None or c.on_date <= last
        ][-limit:]
        if as_json:
            _print_json([c.model_dump(mode="json") for c in rows_c])
            return
        table = Table(title=f"Check-ins ({len(rows_c)})")
        for col in ("id", "date", "yes", "no", "caffeine", "sleep", "stress"):
            table.add_column(col, no_wrap=col in ("id", "date"))
        for c in rows_c:
            table.add_row(
                str(c.id),
                str(c.on_date),
                escape(", ".join(k for k, v in c.answers.items() if v)) or "-",
                escape(", ".join(k for k, v in c.answers.items() if not v)) or "-",
                _num(c.caffeine_cups),
                _num(c.sleep_hours),
                _num(c.stress),
            )
    elif assessments:
        rows_a = [
            a
            for a in store.list_assessments(user, limit=limit)
            if (first is None or a.created_at.date() >= first)
            and (last is None or a.created_at.date() <= last)
        ]
        if as_json:
            _print_json([a.model_dump(mode="json") for a in rows_a])
            return
        table = Table(title=f"Assessments ({len(rows_a)})")
        for col in ("id", "when", "origin", "triage", "top cause"):
            table.add_column(col, no_wrap=col in ("id", "when"))
        for a in rows_a:
            table.add_row(
                str(a.id), f"{a.created_at:%Y-%m-%d %H:%M}", a.origin, a.triage, a.top_cause
            )
    else:
        rows_e = store.list_episodes(user, since=first, until=last, limit=limit)
        if as_json:
            _print_json([e.model_dump(mode="json") for e in rows_e])
            return
        table = Table(title=f"Episodes (newest first, {len(rows_e)} shown)")
        for col in ("id", "when", "where", "side", "seconds", "intensity", "caffeine", "sleep"):
            table.add_column(col, no_wrap=col in ("id", "when"))
        for e in rows_e:
            table.add_row(
                str(e.id),
                f"{e.occurred_at:%Y-%m-%d %H:%M}",
                escape(", ".join(_label(store, loc) for loc in e.locations)),
                e.side,
                f"{e.duration_seconds:g}",
                _num(e.intensity),
                _num(e.caffeine_cups),
                _num(e.sleep_hours),
            )
    _out().print(table)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


# -- status ----------------------------------------------------------------------------------------


def _checker() -> Checker:
    from twitchcheck.api import default_checker

    return default_checker()


@diary_app.command("status")
def status_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Trends, possible triggers, and a fresh triage of what the diary shows (recorded)."""
    from twitchcheck.diary import analysis

    store, user = _diary(ctx)
    trend = analysis.trends(store, user)
    trig = analysis.triggers(store, user)
    prog = analysis.progression(store, user, _checker(), record=True)
    if as_json:
        _print_json(
            {
                "trends": trend.model_dump(mode="json"),
                "triggers": trig.model_dump(mode="json"),
                "progression": prog.model_dump(mode="json"),
            }
        )
        return
    out = _out()
    if prog.needs_profile:
        body = (
            "No fresh triage: set your birth year and sex first with "
            "[bold]twitchcheck diary profile --birth-year YYYY --sex female|male[/bold].\n"
            + escape(prog.reason)
        )
        out.print(Panel(body, title="What your diary shows", border_style="yellow"))
    else:
        level = prog.triage_level or "unknown"
        style = LEVEL_STYLES.get(level, "bold")
        advice = prog.assessment.triage.advice if prog.assessment is not None else ""
        body = f"[{style}]Triage: {level.replace('_', ' ')}[/{style}]\n{escape(prog.reason)}"
        if advice and advice not in prog.reason:
            body += f"\n\n{escape(advice)}"
        out.print(Panel(body, title="What your diary shows", border_style=style.split()[-1]))
    for change in prog.changes:
        out.print(f"  • {escape(change.detail)}")
    out.print()
    if trend.total_episodes:
        out.print(
            f"[bold]Episodes:[/bold] {trend.total_episodes} from {trend.first_day} to "
            f"{trend.last_day}, on {len(trend.days)} days."
        )
        recent = trend.weeks[-4:]
        if recent:
            out.print(
                "Last weeks: "
                + ", ".join(f"week of {w.week_start}: {w.episodes}" for w in recent)
                + "."
            )
        for loc in trend.locations:
            new = " [bold yellow](new)[/bold yellow]" if loc.new else ""
            out.print(
                f"  {escape(loc.label)}: {loc.episodes} episode{'' if loc.episodes == 1 else 's'}, "
                f"first {loc.first_seen}, "
                f"last {loc.last_seen}{new}"
            )
    else:
        out.print("No episodes yet. Add one with [bold]twitchcheck diary add[/bold].")
    out.print("\n[bold]Possible triggers[/bold]")
    for effect in trig.effects:
        out.print(f"  {escape(effect.label)}: {escape(effect.summary)}")
    out.print(f"[dim]{escape(trig.method)}[/dim]")
    if prog.record_id is not None:
        out.print(f"[dim]Recorded as assessment {prog.record_id}. This is not a diagnosis.[/dim]")


# -- report, export, import -------------------------------------------------------------------


@diary_app.command("report")
def report_cmd(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="A .pdf file (the one-page report) or a folder (charts and the PDF)."
        ),
    ],
) -> None:
    """Write the one-page report to bring to a doctor (and the charts, for a folder)."""
    from twitchcheck.diary.report import write_report

    store, user = _diary(ctx)
    with _progress("Drawing the report", None):
        paths = write_report(store, user, _checker(), out)
    for path in paths:
        _out().print(escape(str(path)), soft_wrap=True)


@diary_app.command("export")
def export_cmd(
    ctx: typer.Context,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write episodes, check-ins and assessments here.")
    ] = None,
    fhir: Annotated[
        Path | None, typer.Option("--fhir", help="Write a FHIR R4B Bundle (JSON) to this file.")
    ] = None,
) -> None:
    """Export everything as CSV files and/or a FHIR R4B Bundle."""
    if csv_dir is None and fhir is None:
        raise InputError("Say where to export: --csv DIR and/or --fhir FILE.json.")
    from twitchcheck.diary.exchange import export_csv, export_fhir

    store, user = _diary(ctx)
    written: list[Path] = []
    if csv_dir is not None:
        with _progress("Exporting episodes", store.count_episodes(user)) as advance:
            written += export_csv(store, user, csv_dir, progress=advance)
    if fhir is not None:
        with _progress("Building the FHIR Bundle", None):
            bundle = export_fhir(store, user, store.kb)
            fhir.parent.mkdir(parents=True, exist_ok=True)
            fhir.write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(fhir)
    for path in written:
        _out().print(escape(str(path)), soft_wrap=True)


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


@diary_app.command("import")
def import_cmd(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="An episodes.csv file, or a folder with episodes.csv (and checkins.csv)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Import a CSV export; rows already in the diary are skipped, a bad row stores nothing."""
    from twitchcheck.diary.exchange import import_csv

    if not path.exists():
        raise RecordError([("path", f"{path} does not exist")])
    store, user = _diary(ctx)
    with _progress("Importing", _rows_in(path)) as advance:
        report = import_csv(store, user, path, progress=advance)
    if as_json:
        _print_json(report.model_dump(mode="json"))
        return
    _out().print(
        f"Read {report.rows} rows: added {report.added}, skipped {report.skipped_duplicates} "
        "already in the diary."
    )


# -- delete -----------------------------------------------------------------------------------------


@diary_app.command("delete")
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
    store, user = _diary(ctx)
    out = _out()
    if everything:
        if not yes:
            if not _is_terminal():
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
