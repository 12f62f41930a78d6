"""Rich renderings for the terminal of the KB and the evaluation (the assessment: result_view).
JSON output never passes through here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from twitchcheck.kb.export import PROVENANCE_NOTE, provenance_counts
from twitchcheck.kb.model import KnowledgeBase


def render_kb_overview(console: Console, kb: KnowledgeBase) -> None:
    console.print(f"[dim]{escape(PROVENANCE_NOTE)}[/dim]")
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
        # A fitted prior says so in its own cell, with the number it was fitted from.
        old = c.prior.fitted_from
        prior = f"{c.prior.value:.2g}" + ("" if old is None else f" (fitted; was {old:.2g})")
        table.add_row(c.id, escape(c.name), prior, c.urgency)
    console.print(table)
    fitted = sum(1 for c in kb.causes if c.prior.fitted is not None)
    if fitted:
        console.print(
            f"{fitted} priors are fitted to cases, not read from a source: `kb show ID` gives "
            "from what, to what, by which command, on which data (docs/fitting.md)."
        )
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


def _provenance_label(sources: tuple[str, ...], estimate: str | None) -> str:
    """'sourced: ids' only when the number is read from them; an estimate says so first."""
    if estimate is None:
        return "sourced: " + ", ".join(sources)
    head = "" if estimate.lstrip().startswith(("estimated:", "fitted:")) else "estimated: "
    return head + estimate + (f" (starting from {', '.join(sources)})" if sources else "")


def render_entity(console: Console, kb: KnowledgeBase, entity: Any) -> None:
    data: Mapping[str, Any] = entity.model_dump(mode="json", by_alias=True)
    console.print(f"[dim]{escape(PROVENANCE_NOTE)}[/dim]")
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
                escape(_provenance_label(link.sources, link.estimate)),
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
