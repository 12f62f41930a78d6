"""The command line: thin wrappers over the Python API (``twitchcheck --help``).

Exit codes: 0 success; 1 other error; 2 bad input (unknown id, contradiction, bad value,
usage); 3 invalid knowledge base. No traceback is printed for any of these.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.console import Console
from rich.markup import escape

from twitchcheck.errors import TwitchcheckError

app = typer.Typer(
    name="twitchcheck",
    help="Why does my nose twitch? Ranked causes, triage and cited advice. Decision support, not a diagnosis.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
kb_app = typer.Typer(help="Look at and check the knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")

INTERNAL_ERROR = 70


def _out() -> Console:
    return Console(highlight=False)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _split(values: list[str] | None) -> list[str]:
    """Accept both repeated options and comma-separated lists."""
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


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
    _out().print(
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
            _print_json(kb_to_json(kb))
        else:
            render_kb_overview(_out(), kb)
        return
    entity = kb.any_entity(ident)
    if as_json:
        _print_json(entity.model_dump(mode="json", by_alias=True))
    else:
        render_entity(_out(), kb, entity)


@kb_app.command("sources")
def kb_sources(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the sources the knowledge base cites."""
    from twitchcheck.interfaces.render import render_sources
    from twitchcheck.kb import load_kb

    kb = load_kb()
    if as_json:
        _print_json([s.model_dump(mode="json") for s in kb.sources.values()])
    else:
        render_sources(_out(), kb)


# -- assess -----------------------------------------------------------------------------------
@app.command("assess")
def assess_cmd(
    age: Annotated[int, typer.Option(help="Age in whole years (0-120).")],
    sex: Annotated[str, typer.Option(help="female, male, other or unknown.")] = "unknown",
    yes: Annotated[
        list[str] | None,
        typer.Option(
            "--yes", "-y", help="Finding ids that are present (comma-separated or repeated)."
        ),
    ] = None,
    no: Annotated[
        list[str] | None, typer.Option("--no", "-n", help="Finding ids that are absent.")
    ] = None,
    initial: Annotated[
        list[str] | None, typer.Option(help="Present ids the person mentioned first.")
    ] = None,
    concern: Annotated[
        list[str] | None, typer.Option(help="A worry to address, e.g. 'als'.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Assessment as JSON.")] = False,
) -> None:
    """Rank the likely causes and give triage advice for the reported findings."""
    from twitchcheck.api import default_checker
    from twitchcheck.interfaces.render import render_assessment

    result = default_checker().assess(
        age=age,
        sex=sex,
        present=_split(yes),
        absent=_split(no),
        initial=_split(initial),
        concerns=_split(concern),
    )
    if as_json:
        _print_json(result.model_dump(mode="json"))
    else:
        render_assessment(_out(), result)


# -- evaluate ---------------------------------------------------------------------------------
@app.command("evaluate")
def evaluate_cmd(
    file: Annotated[
        Path, typer.Argument(help="A vignette file (JSON Lines, shared/spec/vignettes.md).")
    ],
    mode: Annotated[
        str, typer.Option(help="structured (all findings at once) or interview.")
    ] = "structured",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Run vignettes through the engine and report accuracy, triage and calibration."""
    from rich.progress import Progress

    from twitchcheck.api import default_checker
    from twitchcheck.evaluation.runner import evaluate
    from twitchcheck.evaluation.vignettes import load_vignettes
    from twitchcheck.interfaces.render import render_report

    vignettes = load_vignettes(file)
    checker = default_checker()
    if as_json:
        report = evaluate(checker, vignettes, mode)
        _print_json(report)
        return
    with Progress(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("Evaluating", total=len(vignettes))
        report = evaluate(
            checker, vignettes, mode, progress=lambda done, _: bar.update(task, completed=done)
        )
    render_report(_out(), report)


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the app and maps errors to exit codes, without tracebacks."""
    err = Console(stderr=True, highlight=False)
    try:
        rv = app(args=argv, standalone_mode=False, prog_name="twitchcheck")
    except click.exceptions.UsageError as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        err.print("Aborted.")
        return 1
    except TwitchcheckError as exc:
        err.print(f"[bold red]Error[/bold red] {escape(str(exc))}", soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input: say so plainly, keep the trace for debugging
        if os.environ.get("TWITCHCHECK_DEBUG"):
            raise
        err.print(
            escape(
                f"Internal error ({type(exc).__name__}): {exc}. Set TWITCHCHECK_DEBUG=1 for details."
            )
        )
        return INTERNAL_ERROR
    return rv if isinstance(rv, int) else 0
