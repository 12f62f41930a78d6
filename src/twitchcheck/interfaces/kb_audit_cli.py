"""``twitchcheck kb audit``: a thin wrapper over :mod:`twitchcheck.kb.audit` (tiers, tier C
alone, sourced versus estimated numbers, unused sources) and
:mod:`twitchcheck.evaluation.sensitivity` (the numbers that move the dev metrics most)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from twitchcheck.interfaces.cli_common import out_console, print_json

DEV_SPLIT = Path("vignettes/dev.jsonl")


def kb_audit(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    dev: Annotated[
        Path,
        typer.Option(
            help="The cases of the sensitivity run (the dev split; never the test split)."
        ),
    ] = DEV_SPLIT,
    top: Annotated[
        int, typer.Option(min=1, help="How many of the most influential numbers to list.")
    ] = 10,
    limit: Annotated[
        int | None,
        typer.Option(min=1, help="Try only the first N numbers (priors, then leaks, then links)."),
    ] = None,
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity/--no-sensitivity",
            help="Run the sensitivity on the dev split (about a minute for the shipped KB).",
        ),
    ] = True,
    kb_path: Annotated[
        Path | None, typer.Option("--kb", help="A KB folder; the shipped KB when omitted.")
    ] = None,
) -> None:
    """Audit the evidence: tiers, items on tier C alone, sourced vs estimated numbers, unused
    sources, and the numbers with the largest influence on the dev split (each prior, leak and
    link in turn multiplied by 2 and by 1/2 in odds)."""
    from twitchcheck.kb import load_kb, load_kb_from_path
    from twitchcheck.kb.audit import audit_evidence

    kb = load_kb_from_path(kb_path) if kb_path else load_kb()
    evidence = audit_evidence(kb)
    report: dict[str, Any] = {"kb_version": kb.version, "evidence": evidence.to_json()}
    if sensitivity:
        from rich.progress import Progress

        from twitchcheck.evaluation.sensitivity import sensitivity as run_sensitivity
        from twitchcheck.evaluation.vignettes import load_vignettes

        cases = load_vignettes(dev)
        with Progress(transient=True, console=Console(stderr=True)) as bar:
            task = bar.add_task("Sensitivity", total=None)
            result = run_sensitivity(
                kb,
                cases,
                limit=limit,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        report["sensitivity"] = result.to_json(top) | {"file": str(dev)}
    if as_json:
        print_json(report)
        return
    _render(out_console(), report)


def _render(console: Console, report: dict[str, Any]) -> None:
    ev = report["evidence"]
    tiers = ev["tiers"]
    console.print(f"[bold]Evidence audit[/bold]  KB {report['kb_version']}")
    console.print(
        f"{ev['pairs']} (item, source) pairs: A {tiers['A']}, B {tiers['B']}, C {tiers['C']}; "
        f"tier A or B {ev['share_ab']:.1%}."
    )
    by_kind = ev["tier_c_alone"]["by_kind"]
    console.print(
        "On tier C alone: " + ", ".join(f"{n} {kind}" for kind, n in by_kind.items()) + "."
    )
    for item in ev["tier_c_alone"]["items"]:
        if item["kind"] != "links":
            console.print(
                f"  {item['kind']} {escape(item['item'])} ({item['key']}): "
                + ", ".join(item["sources"]),
                soft_wrap=True,
            )
    by_cause = ev["tier_c_alone"]["links_by_cause"]
    if by_cause:
        console.print(
            "  links by cause: " + ", ".join(f"{c} {n}" for c, n in by_cause.items()),
            soft_wrap=True,
        )
    console.print(
        "Numbers (sourced = read from a cited source; estimated = our estimate with its "
        "reasoning; fitted = fitted to cases): "
        + "; ".join(
            f"{name} {v['sourced']} sourced / {v['estimated']} estimated / {v['fitted']} fitted"
            for name, v in ev["numbers"].items()
        ),
        soft_wrap=True,
    )
    unused = ev["unused_sources"]
    console.print(f"Unused sources ({len(unused)}): {', '.join(unused) or 'none'}.")
    sens = report.get("sensitivity")
    if not sens:
        return
    base = sens["baseline"]
    console.print(
        f"\n[bold]Sensitivity[/bold] on {escape(sens['file'])} ({sens['cases']} cases, structured): "
        f"top-3 {base['top3']:.3f}, triage exact {base['triage_exact']:.3f}. "
        f"{sens['parameters_tried']} numbers tried x {len(sens['factors_in_odds'])} factors in "
        f"odds in {sens['seconds']:.0f} s; not tried: {sens['parameters_unreported']} whose "
        f"finding no case reports (they cannot change an answer), "
        f"{sens['parameters_beyond_limit']} beyond --limit."
    )
    console.print(
        "The most influential numbers (cases whose top-3 or triage changed, over both factors; "
        "change in top-3 and in exact triage at x2 / x1/2; where the number comes from):"
    )
    for row in sens["most_influential"]:
        ch = list(row["changes"].values())
        top3 = " / ".join(f"{c['top3']:+.3f}" for c in ch)
        triage = " / ".join(f"{c['triage_exact']:+.3f}" for c in ch)
        console.print(
            f"  {row['cases_changed']:>3} cases  {escape(row['parameter'])} = {row['value']:.3g}"
            f"  top-3 {top3}  triage {triage}"
            f"\n        from: {escape(row['provenance'])}",
            soft_wrap=True,
        )
