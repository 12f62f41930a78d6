"""Rich renderings for the terminal: what a person reads. JSON output never passes through here."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from twitchcheck.domain import TriageLevel
from twitchcheck.kb.export import provenance_counts
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.results import Assessment, ExplanationItem

LEVEL_STYLE = {
    TriageLevel.EMERGENCY: "bold white on red",
    TriageLevel.URGENT: "bold black on dark_orange",
    TriageLevel.SOON: "bold black on yellow",
    TriageLevel.ROUTINE: "bold white on blue",
    TriageLevel.SELF_CARE: "bold white on green4",
}

#: How many causes the readable table shows (the JSON always has every cause).
SHOWN_CAUSES = 8


def bar(p: float, width: int = 20) -> str:
    filled = round(p * width)
    return "█" * filled + "░" * (width - filled)


def render_parsed(console: Console, a: Assessment) -> None:
    """ "Here is what we understood" from the person's own words (assess --text)."""
    p = a.parsed
    if p is None:
        return
    words = {"present": "yes", "absent": "no", "unknown": "not sure"}
    lines = [
        Text(f"• {f.id}: {words[f.choice.value]}  ({f.why})")
        for f in p.findings
        if f.id not in p.overridden
    ] or [Text("Nothing in the text matched a finding; answer the questions instead.")]
    if p.overridden:
        lines.append(Text("Your explicit answers replaced: " + ", ".join(p.overridden)))
    if p.unplaced:
        lines.append(Text("Not understood: " + " / ".join(p.unplaced), style="dim"))
    if p.age is not None or p.sex is not None:
        said = ", ".join(str(x) for x in (p.age, p.sex and p.sex.value) if x is not None)
        lines.append(Text(f"The text mentions {said}; the form's age and sex are used."))
    console.print(Panel(Group(*lines), title="Here is what we understood"))


def render_assessment(console: Console, a: Assessment) -> None:
    render_parsed(console, a)
    t = a.triage
    banner = Text(f" {t.name.upper()} ", style=LEVEL_STYLE[t.level])
    body = [Text.assemble(banner, "  ", Text(t.advice, style="bold"))]
    if a.red_flags:
        body.append(
            Text(
                "Warning signs you reported: " + ", ".join(rf.label for rf in a.red_flags),
                style="bold red",
            )
        )
    for reason in t.reasons[:4]:
        body.append(Text(f"• {reason.text}"))
    body.append(Text(t.safety_net, style="italic"))
    console.print(
        Panel(Group(*body), title="What to do", border_style=LEVEL_STYLE[t.level].split()[-1])
    )

    table = Table(
        title="Likely causes (probabilities need not add up to 100%: several can be present)"
    )
    table.add_column("Cause")
    table.add_column("Chance", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("Why")
    for c in a.causes[:SHOWN_CAUSES]:
        why = (
            "; ".join(_short_effect(e) for e in c.explanation[:3]) or "how common it is at your age"
        )
        table.add_row(
            escape(c.name),
            f"{c.probability:.0%}" if c.probability >= 0.01 else f"{c.probability:.1%}",
            bar(c.probability),
            escape(why),
        )
    console.print(table)

    if a.als_context:
        ctx = a.als_context
        lines = [Text(ctx.summary)] + [
            Text(f"• {s.text} [{', '.join(s.sources)}]") for s in ctx.statements
        ]  # Text: no markup
        console.print(Panel(Group(*lines), title="About ALS", border_style="cyan"))

    adv = a.advice
    if adv.self_care:
        console.print("[bold]What you can do now[/bold]")
        for step in adv.self_care:
            console.print(f"  • {escape(step)}")
    if adv.treatments:
        console.print("[bold]Treatments that may be offered[/bold]")
        for tr in adv.treatments:
            console.print(f"  • {escape(tr.name)}: {escape(tr.description)}")
    if adv.doctor_may:
        console.print("[bold]What a doctor may do[/bold]")
        for w in adv.doctor_may:
            console.print(f"  • {escape(w.name)}: {escape(w.description)}")
    console.print("[bold]Sources[/bold]")
    for s in a.sources:
        console.print(escape(f"  [{s.id}] {s.title} ({s.publisher}) {s.url}"))
    console.print(f"[dim]{escape(a.disclaimer)} Knowledge base {a.kb_version}.[/dim]")


def _short_effect(e: ExplanationItem) -> str:
    """A compact form for the table: 'yes: Nose twitching ×16 ↑'."""
    factor = math.exp(abs(e.log_odds_change))
    size = ">100" if factor >= 100 else (f"{factor:.0f}" if factor >= 10 else f"{factor:.1f}")
    return f"{'yes' if e.answer == 'present' else 'no'}: {e.label} ×{size} {'↑' if e.log_odds_change > 0 else '↓'}"


def render_kb_overview(console: Console, kb: KnowledgeBase) -> None:
    console.print(f"[bold]{escape(kb.meta.title)}[/bold]  version {kb.version}")
    counts = provenance_counts(kb)
    console.print(
        f"{len(kb.causes)} causes, {len(kb.findings)} findings, {len(kb.links)} links, "
        f"{len(kb.rules)} rules, {len(kb.sources)} sources, {len(kb.treatments)} treatments, "
        f"{len(kb.anatomy)} nasal muscles."
    )
    console.print(
        "Numbers: "
        + ", ".join(
            f"{k} {v['sourced']} sourced / {v['estimated']} estimated" for k, v in counts.items()
        )
    )
    table = Table(title="Causes")
    table.add_column("id")
    table.add_column("name")
    table.add_column("prior", justify="right")
    table.add_column("urgency")
    for c in kb.causes:
        table.add_row(c.id, escape(c.name), f"{c.prior.value:.2g}", c.urgency)
    console.print(table)
    table = Table(title="The six nasal muscles")
    table.add_column("muscle")
    table.add_column("what it does")
    table.add_column("twitch location")
    for m in kb.anatomy:
        table.add_row(escape(m.name), escape(m.action), ", ".join(m.findings))
    console.print(table)
    console.print(
        "[dim]See one entry with: twitchcheck kb show ID   (e.g. twitchcheck kb show als)[/dim]"
    )
    console.print(f"[dim]{escape(kb.meta.disclaimer)}[/dim]")


def render_entity(console: Console, kb: KnowledgeBase, entity: Any) -> None:
    data: Mapping[str, Any] = entity.model_dump(mode="json", by_alias=True)
    table = Table(show_header=False, title=f"{type(entity).__name__} {data.get('id', '')}")
    table.add_column("field", style="bold")
    table.add_column("value")
    for key, value in data.items():
        table.add_row(key, escape(_plain(value)))
    console.print(table)
    ident = data.get("id")
    if ident in kb.cause_index:
        links = Table(title="Links: P(finding | this cause alone)")
        links.add_column("finding")
        links.add_column("p", justify="right")
        links.add_column("provenance")
        for link in kb.children(ident):
            links.add_row(
                link.finding,
                f"{link.p:.3g}",
                escape(", ".join(link.sources) or f"estimate: {link.estimate}"),
            )
        console.print(links)
    elif ident in kb.finding_index:
        links = Table(title="Links: P(this finding | cause alone)")
        links.add_column("cause")
        links.add_column("p", justify="right")
        for link in kb.parents(ident):
            links.add_row(link.cause, f"{link.p:.3g}")
        console.print(links)


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(
            f"{k}: {_plain(v)}" for k, v in value.items() if v not in (None, [], {}, ())
        )
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def render_sources(console: Console, kb: KnowledgeBase) -> None:
    table = Table(title=f"{len(kb.sources)} sources")
    table.add_column("id")
    table.add_column("tier")
    table.add_column("title")
    table.add_column("address")
    for s in kb.sources.values():
        table.add_row(s.id, s.tier, escape(f"{s.title} ({s.publisher})"), s.url)
    console.print(table)


def _interval(report: Mapping[str, Any], key: str) -> str:
    ci = report.get("ci95", {}).get(key)
    return f"{ci[0]:.1%}–{ci[1]:.1%}" if ci else ""


def render_report(console: Console, report: Mapping[str, Any]) -> None:
    console.print(f"[bold]{report['n']} vignettes, {report['mode']} mode[/bold]")
    table = Table()
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("95% interval", justify="right")
    for key in (
        "top1",
        "top3",
        "top5",
        "any_gold_top3",
        "triage_exact",
        "under_triage",
        "over_triage",
        "safe_advice",
    ):
        if key in report:
            table.add_row(key, f"{report[key]:.1%}", _interval(report, key))
    table.add_row("brier", f"{report['brier']:.3f}", "")
    if report.get("ece") is not None:
        lo, hi = report["ece_ci95"]
        table.add_row("ece (top cause)", f"{report['ece']:.3f}", f"{lo:.3f}–{hi:.3f}")
    for key in ("mean_questions", "max_questions", "mean_items"):
        if key in report:
            table.add_row(key, str(report[key]), "")
    console.print(table)
    levels = Table(title="By gold triage level (95% intervals)")
    for col in ("level", "n", "exact", "under", "over"):
        levels.add_column(col)
    for level, row in report["by_level"].items():
        levels.add_row(
            level,
            str(row["n"]),
            *(
                f"{row[rate]:.0%} ({_interval(report, f'{level}.{rate}')})"
                for rate in ("triage_exact", "under_triage", "over_triage")
            ),
        )
    console.print(levels)
    if "confusion" in report:
        _render_confusion(console, report["confusion"])
    if "calibration" in report:
        _render_calibration(console, report["calibration"])
    urgent = report["under_triaged_urgent_ids"]
    console.print(
        f"Under-triaged emergency/urgent cases: {', '.join(urgent) if urgent else 'none'}"
    )
    if report["failures"]:
        console.print(f"[bold]{len(report['failures'])} failed cases[/bold]")
        for f in report["failures"]:
            console.print(f"  {f['id']}: {escape(f['reason'])}")


def _render_confusion(console: Console, matrix: Mapping[str, Mapping[str, int]]) -> None:
    """Rows: the gold level; columns: the level given. The diagonal is exact; right of it is
    under-triage (less urgent than gold), left of it over-triage."""
    levels = list(matrix)
    table = Table(title="Triage: gold level (rows) against the level given (columns)")
    table.add_column("gold \\ given")
    for level in levels:
        table.add_column(level, justify="right")
    for i, gold in enumerate(levels):
        cells = []
        for j, given in enumerate(levels):
            n = matrix[gold][given]
            style = "bold" if i == j else "red" if j > i and n else "yellow" if n else "dim"
            cells.append(f"[{style}]{n}[/{style}]")
        table.add_row(gold, *cells)
    console.print(table)
    console.print("[dim]Right of the diagonal: under-triage; left: over-triage.[/dim]")


def _render_calibration(console: Console, bins: list[Mapping[str, Any]]) -> None:
    table = Table(title="Calibration of the top cause")
    for col in ("probability", "cases", "mean p", "top cause is gold"):
        table.add_column(col, justify="right")
    for b in bins:
        if not b["n"]:
            continue
        lo, hi = b["bin"] / 10, (b["bin"] + 1) / 10
        table.add_row(
            f"{lo:.1f}–{hi:.1f}", str(b["n"]), f"{b['mean_p']:.2f}", f"{b['observed']:.0%}"
        )
    console.print(table)
