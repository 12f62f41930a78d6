"""``diary list``, ``diary status``, ``diary report``: what the diary shows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from twitchcheck.domain import TriageLevel
from twitchcheck.errors import InputError, RecordError
from twitchcheck.interfaces.cli_common import out_console
from twitchcheck.interfaces.diary_cli.common import (
    checker,
    finding_label,
    open_diary,
    parse_date,
    print_entry_json,
    progress,
)

LEVEL_STYLES: dict[str, str] = {
    TriageLevel.EMERGENCY: "bold white on red",
    TriageLevel.URGENT: "bold red",
    TriageLevel.SOON: "bold yellow",
    TriageLevel.ROUTINE: "bold cyan",
    TriageLevel.SELF_CARE: "bold green",
}


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
    first = parse_date(since, "--since")
    last = parse_date(until, "--until")
    if first and last and first > last:
        raise RecordError([("--since", f"{first} is after --until {last}")])
    if checkins and assessments:
        raise InputError("Choose one of --checkins and --assessments.")
    store, user = open_diary(ctx)
    table: Table
    if checkins:
        rows_c = [
            c
            for c in store.list_checkins(user, since=first, limit=100_000)
            if last is None or c.on_date <= last
        ][-limit:]
        if as_json:
            print_entry_json([c.model_dump(mode="json") for c in rows_c])
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
            print_entry_json([a.model_dump(mode="json") for a in rows_a])
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
            print_entry_json([e.model_dump(mode="json") for e in rows_e])
            return
        table = Table(title=f"Episodes (newest first, {len(rows_e)} shown)")
        for col in ("id", "when", "where", "side", "seconds", "intensity", "caffeine", "sleep"):
            table.add_column(col, no_wrap=col in ("id", "when"))
        for e in rows_e:
            table.add_row(
                str(e.id),
                f"{e.occurred_at:%Y-%m-%d %H:%M}",
                escape(", ".join(finding_label(store, loc) for loc in e.locations)),
                e.side,
                f"{e.duration_seconds:g}",
                _num(e.intensity),
                _num(e.caffeine_cups),
                _num(e.sleep_hours),
            )
    out_console().print(table)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def status_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Trends, possible triggers, and a fresh triage of what the diary shows (recorded)."""
    from twitchcheck.diary import analysis

    store, user = open_diary(ctx)
    trend = analysis.trends(store, user)
    trig = analysis.triggers(store, user)
    prog = analysis.progression(store, user, checker(), record=True)
    if as_json:
        print_entry_json(
            {
                "trends": trend.model_dump(mode="json"),
                "triggers": trig.model_dump(mode="json"),
                "progression": prog.model_dump(mode="json"),
            }
        )
        return
    out = out_console()
    if prog.needs_profile:
        body = (
            "No fresh triage: set your birth year and sex first with "
            "[bold]twitchcheck diary profile --birth-year YYYY --sex female|male|other|unknown[/bold].\n"
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
    out.print(f"[dim]{escape(trig.explanation)}[/dim]")
    if prog.record_id is not None:
        out.print(f"[dim]Recorded as assessment {prog.record_id}. This is not a diagnosis.[/dim]")


# -- report, export, import -------------------------------------------------------------------


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

    store, user = open_diary(ctx)
    with progress("Drawing the report", None):
        paths = write_report(store, user, checker(), out)
    for path in paths:
        out_console().print(escape(str(path)), soft_wrap=True)
