"""The assessment in a terminal (``twitchcheck assess`` and the terminal interview's result).

Short by default, so that it fits a 45-line, 80-column terminal above the sources: the triage,
the top causes with a one-line why, what to do now and the safety net, then how many sources the
statements cite. An emergency shows only the emergency: what to do now and what to tell the call
handler. ``show_all`` (``--all``) shows every cause, the treatments and what a doctor may check;
``list_sources`` (``--sources``) lists the sources. JSON output never passes through here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from twitchcheck.domain import TriageLevel
from twitchcheck.interfaces.cli_common import out_console, print_json
from twitchcheck.results import Advice, Assessment, ExplanationItem

if TYPE_CHECKING:
    from twitchcheck.api import Checker

LEVEL_STYLE = {
    TriageLevel.EMERGENCY: "bold white on red",
    TriageLevel.URGENT: "bold black on dark_orange",
    TriageLevel.SOON: "bold black on yellow",
    TriageLevel.ROUTINE: "bold white on blue",
    TriageLevel.SELF_CARE: "bold white on green4",
}

#: How many causes the short view shows (``--all``: every cause; the JSON always has all).
SHORT_CAUSES = 5
#: How many self-care steps and triage reasons the short view shows.
SHORT_STEPS = 5
SHORT_REASONS = 2


def bar(p: float, width: int = 20) -> str:
    filled = round(p * width)
    return "█" * filled + "░" * (width - filled)


def render_parsed(console: Console, a: Assessment, labels: Mapping[str, str] | None = None) -> None:
    """ "Here is what we understood" from the person's own words (assess --text), each finding by
    its label (what a person reads) when ``labels`` are given, else by its id."""
    p = a.parsed
    if p is None:
        return
    words = {"present": "yes", "absent": "no", "unknown": "not sure"}
    name = labels or {}
    lines = [
        Text(f"• {name.get(f.id, f.id)}: {words[f.choice.value]}  ({f.why})")
        for f in p.findings
        if f.id not in p.overridden
    ] or [Text("Nothing in the text matched a finding; answer the questions instead.")]
    if p.overridden:
        replaced = ", ".join(name.get(f, f) for f in p.overridden)
        lines.append(Text("Your explicit answers replaced: " + replaced))
    if p.unplaced:
        lines.append(Text("Not understood: " + " / ".join(p.unplaced), style="dim"))
    if p.age is not None or p.sex is not None:
        said = ", ".join(str(x) for x in (p.age, p.sex and p.sex.value) if x is not None)
        lines.append(Text(f"The text mentions {said}; the form's age and sex are used."))
    console.print(Panel(Group(*lines), title="Here is what we understood"))


def render_assessment(
    console: Console,
    a: Assessment,
    *,
    show_all: bool = False,
    list_sources: bool = False,
    labels: Mapping[str, str] | None = None,
) -> None:
    render_parsed(console, a, labels)
    emergency = a.triage.level is TriageLevel.EMERGENCY
    _triage_panel(console, a, short=not show_all)
    if emergency and not show_all:
        console.print(
            "[dim]The possible causes and other advice are left out so that this stays in view;"
            " run again with [bold]--all[/bold] to see them.[/dim]"
        )
    else:
        _causes(console, a, short=not show_all)
        _als(console, a, short=not show_all)
        _advice(console, a.advice, short=not show_all)
        if not emergency:
            console.print(Text.assemble(("Safety net: ", "bold"), (a.triage.safety_net, "italic")))
    _sources(console, a, list_sources)
    console.print(f"[dim]{escape(a.disclaimer)} Knowledge base {a.kb_version}.[/dim]")


def _triage_panel(console: Console, a: Assessment, *, short: bool) -> None:
    t = a.triage
    emergency = t.level is TriageLevel.EMERGENCY
    banner = Text(f" {t.name.upper()} ", style=LEVEL_STYLE[t.level])
    body = [Text.assemble(banner, "  ", Text(t.advice, style="bold"))]
    if a.red_flags:
        body.append(
            Text(
                "Warning signs you reported: " + ", ".join(rf.label for rf in a.red_flags),
                style="bold red",
            )
        )
    if t.tell_call_handler:
        body.append(Text("Tell the call handler:", style="bold"))
        body += [Text(f"• {line}") for line in t.tell_call_handler]
    if not (emergency and short):
        reasons = t.reasons[:SHORT_REASONS] if short else t.reasons
        body += [Text(f"• {reason.text}") for reason in reasons]
    if emergency:  # the other levels give their safety net after what to do now
        body.append(Text(t.safety_net, style="italic"))
    console.print(
        Panel(Group(*body), title="What to do", border_style=LEVEL_STYLE[t.level].split()[-1])
    )


def _causes(console: Console, a: Assessment, *, short: bool) -> None:
    title = "Likely causes (several can be present, so they need not add up to 100%)"
    table = Table(title=title)
    # Short: one line per cause, the columns sized to the terminal (borders and padding take 10).
    cause_width = 28
    why_width = max(12, console.width - cause_width - 6 - 10)
    table.add_column(
        "Cause", no_wrap=short, overflow="ellipsis", max_width=cause_width if short else None
    )
    table.add_column("Chance", justify="right", no_wrap=True, min_width=6)
    if short:
        table.add_column(
            "Why (what raised it most)", no_wrap=True, overflow="ellipsis", max_width=why_width
        )
    else:
        table.add_column("", no_wrap=True)
        table.add_column("Why")
    shown = a.causes[:SHORT_CAUSES] if short else a.causes
    for c in shown:
        # One line: the answer that raised it most (else the one that moved it most).
        raised = [e for e in c.explanation if e.log_odds_change > 0]
        effects = (raised or c.explanation)[:1] if short else c.explanation[:3]
        why = "; ".join(_short_effect(e) for e in effects) or "how common it is at your age"
        chance = f"{c.probability:.0%}" if c.probability >= 0.01 else f"{c.probability:.1%}"
        if short:
            table.add_row(escape(c.name), chance, escape(why))
        else:
            table.add_row(escape(c.name), chance, bar(c.probability), escape(why))
    console.print(table)
    if short and len(a.causes) > SHORT_CAUSES:
        console.print(
            f"[dim]{len(a.causes) - SHORT_CAUSES} less likely causes: [bold]--all[/bold] lists"
            " them, with the treatments and what a doctor may check.[/dim]"
        )


def _als(console: Console, a: Assessment, *, short: bool) -> None:
    ctx = a.als_context
    if ctx is None:
        return
    lines = [Text(ctx.summary)]
    if short:
        lines.append(Text(f"{len(ctx.statements)} cited figures with --all.", style="dim"))
    else:
        lines += [Text(f"• {s.text} [{', '.join(s.sources)}]") for s in ctx.statements]
    console.print(Panel(Group(*lines), title="About ALS", border_style="cyan"))


def _advice(console: Console, adv: Advice, *, short: bool) -> None:
    if adv.self_care:
        console.print("[bold]What you can do now[/bold]")
        steps = adv.self_care[:SHORT_STEPS] if short else adv.self_care
        for step in steps:
            console.print(f"  • {escape(step)}")
        if len(steps) < len(adv.self_care):
            console.print(f"  [dim]… {len(adv.self_care) - len(steps)} more with --all[/dim]")
    if short:
        return
    if adv.treatments:
        console.print("[bold]Treatments that may be offered[/bold]")
        for tr in adv.treatments:
            console.print(f"  • {escape(tr.name)}: {escape(tr.description)}")
    if adv.doctor_may:
        console.print("[bold]What a doctor may do[/bold]")
        for w in adv.doctor_may:
            console.print(f"  • {escape(w.name)}: {escape(w.description)}")
    if adv.when_to_seek_care:
        console.print("[bold]When to get medical help[/bold]")
        for line in adv.when_to_seek_care:
            console.print(f"  • {escape(line)}")


def _sources(console: Console, a: Assessment, list_sources: bool) -> None:
    n = len(a.sources)
    if not list_sources:
        console.print(f"The full assessment cites {n} sources — [bold]--sources[/bold] lists them.")
        return
    console.print(f"[bold]Sources[/bold] ({n})")
    for s in a.sources:
        console.print(escape(f"  [{s.id}] {s.title} ({s.publisher}) {s.url}"))


def _short_effect(e: ExplanationItem) -> str:
    """A compact form for the table: 'yes: Nose twitching ×16 ↑'."""
    factor = math.exp(abs(e.log_odds_change))
    size = ">100" if factor >= 100 else (f"{factor:.0f}" if factor >= 10 else f"{factor:.1f}")
    arrow = "↑" if e.log_odds_change > 0 else "↓"
    return f"{'yes' if e.answer == 'present' else 'no'}: {e.label} ×{size} {arrow}"


def show_result(
    checker: Checker, result: Assessment, *, as_json: bool, show_all: bool, list_sources: bool
) -> None:
    """An assessment as JSON, or as the readable view with the findings named by their labels
    (`assess` and `interview --answers` print it alike)."""
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    render_assessment(
        out_console(),
        result,
        show_all=show_all,
        list_sources=list_sources,
        labels=checker.finding_labels,
    )
