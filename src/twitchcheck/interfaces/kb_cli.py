"""``twitchcheck kb ...``: look at and check the knowledge base (moved out of cli.py, which
composes the command groups)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from twitchcheck.interfaces.cli_common import out_console, print_json

kb_app = typer.Typer(help="Look at and check the knowledge base.", no_args_is_help=True)


# -- kb ---------------------------------------------------------------------------------------
@kb_app.command("validate")
def kb_validate(
    path: Annotated[
        Path | None, typer.Argument(help="A KB folder; the shipped KB when omitted.")
    ] = None,
) -> None:
    """Validate a knowledge base and list every problem with its file and location."""
    from twitchcheck.kb import load_kb, load_kb_from_path

    kb = load_kb_from_path(path) if path else load_kb()
    out_console().print(
        f"OK: {kb.meta.id} {kb.version}: {len(kb.causes)} causes, {len(kb.findings)} findings, "
        f"{len(kb.links)} links, {len(kb.rules)} rules, {len(kb.sources)} sources."
    )


@kb_app.command("show")
def kb_show(
    ident: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="A cause, finding, rule, muscle, treatment or source id."
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print JSON (the whole KB with every model parameter, or one entry)."
        ),
    ] = False,
) -> None:
    """Show the knowledge base, or one entry of it."""
    from twitchcheck.interfaces.render import render_entity, render_kb_overview
    from twitchcheck.kb import load_kb
    from twitchcheck.kb.export import kb_to_json

    kb = load_kb()
    if ident is None:
        if as_json:
            print_json(kb_to_json(kb))
        else:
            render_kb_overview(out_console(), kb)
        return
    entity = kb.any_entity(ident)
    if as_json:
        print_json(entity.model_dump(mode="json", by_alias=True))
    else:
        render_entity(out_console(), kb, entity)


@kb_app.command("sources")
def kb_sources(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the sources the knowledge base cites."""
    from twitchcheck.interfaces.render import render_sources
    from twitchcheck.kb import load_kb

    kb = load_kb()
    if as_json:
        print_json([s.model_dump(mode="json") for s in kb.sources.values()])
    else:
        render_sources(out_console(), kb)


@kb_app.command("rules")
def kb_rules(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List every triage rule with its level, kind and the source it follows, on one screen."""
    from rich import box
    from rich.table import Table

    from twitchcheck.domain import TriageLevel
    from twitchcheck.kb import load_kb

    kb = load_kb()
    if as_json:
        print_json(
            [
                rule.model_dump(mode="json")
                | {
                    "source": {
                        "id": kb.sources[rule.sources[0]].id,
                        "publisher": kb.sources[rule.sources[0]].publisher,
                        "url": kb.sources[rule.sources[0]].url,
                    }
                    if rule.sources
                    else None
                }
                for rule in kb.rules
            ]
        )
        return
    # Most urgent first; the KB's order within a level. One line per rule, so the whole list
    # fits one screen: long cells are cut (the JSON and `kb show RULE_ID` have everything).
    rules = sorted(kb.rules, key=lambda r: -TriageLevel(r.level).rank)
    table = Table(
        title=f"{len(rules)} triage rules, most urgent first. Source: the first cited, for a "
        "red flag the guideline it follows (--json lists every source).",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    console = out_console()
    # Fixed widths (rich would otherwise squeeze the short columns away): what is left of the
    # terminal's width goes to the findings.
    widths = {"level": 9, "kind": 11, "rule": 28, "source": 20}
    rest = max(12, console.width - sum(widths.values()) - 3 * len(widths))
    for name, width in (*widths.items(), ("when present", rest)):
        table.add_column(name, no_wrap=True, overflow="ellipsis", width=width)
    for rule in rules:
        when = " + ".join(rule.all_of)
        if rule.any_of:
            when += (" + " if when else "") + "any of " + ", ".join(rule.any_of)
        if rule.age_min is not None or rule.age_max is not None:
            when = f"age {rule.age_min or 0}-{(rule.age_max or 121) - 1}: " + when
        source = rule.sources[0] if rule.sources else "(estimate)"
        table.add_row(rule.level, rule.kind, rule.id, source, escape(when))
    console.print(table)
