"""The command line: thin wrappers over the Python API (``twitchcheck --help``).

Exit codes: 0 success; 1 other error; 2 bad input (unknown id, contradiction, bad value,
usage); 3 invalid knowledge base. No traceback is printed for any of these.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from twitchcheck.domain import DEFAULT_MAX_QUESTIONS, MAX_AGE, MAX_QUESTIONS_LIMIT, MIN_AGE
from twitchcheck.errors import TwitchcheckError
from twitchcheck.interfaces.cli_common import out_console, print_json, split_values
from twitchcheck.interfaces.diary_cli import diary_app
from twitchcheck.interfaces.kb_audit_cli import kb_audit
from twitchcheck.interfaces.kb_cli import kb_app
from twitchcheck.interfaces.kb_fit_cli import kb_fit
from twitchcheck.interfaces.serve_cli import serve_cmd

app = typer.Typer(
    name="twitchcheck",
    help="Why does my nose twitch? Ranked causes, triage and cited advice. Decision support, not a diagnosis.",
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
)
vignettes_app = typer.Typer(
    help="Check vignette files before evaluating with them.", no_args_is_help=True
)
app.add_typer(kb_app, name="kb")
kb_app.command("fit")(kb_fit)
app.add_typer(diary_app, name="diary")
app.add_typer(vignettes_app, name="vignettes")
kb_app.command("audit")(kb_audit)

INTERNAL_ERROR = 70

#: The result is short by default (docs/interview.md); these show the rest.
ShowAll = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Show every cause, the treatments and what a doctor may check (and, in "
        "an emergency, the causes and advice left out so the emergency stays in view).",
    ),
]
ListSources = Annotated[bool, typer.Option("--sources", help="List the sources cited.")]


# -- assess -----------------------------------------------------------------------------------
@app.command("assess")
def assess_cmd(
    age: Annotated[int, typer.Option(help=f"Age in whole years ({MIN_AGE}-{MAX_AGE}).")],
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
    text: Annotated[
        str | None,
        typer.Option(help="What is happening, in your own words (parsed; --yes/--no win)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Assessment as JSON.")] = False,
    show_all: ShowAll = False,
    list_sources: ListSources = False,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Keep this assessment, with its evidence, in your diary "
            "(TWITCHCHECK_DATABASE_URL or the SQLite file in your data folder).",
        ),
    ] = False,
) -> None:
    """Rank the likely causes and give triage advice for the reported findings."""
    from twitchcheck.api import default_checker
    from twitchcheck.interfaces.result_view import show_result

    checker = default_checker()
    result = checker.assess(
        age=age,
        sex=sex,
        present=split_values(yes),
        absent=split_values(no),
        initial=split_values(initial),
        concerns=split_values(concern),
        text=text,
    )
    show_result(checker, result, as_json=as_json, show_all=show_all, list_sources=list_sources)
    if save:
        from twitchcheck.interfaces.diary_cli import DiaryContext

        store, user = DiaryContext(None).open()
        first = set(split_values(initial))
        # The same evidence shape as POST /api/v1/diary/assessments stores (the REST AssessIn).
        evidence = {
            "age": age,
            "sex": sex,
            "evidence": [
                {"id": f, "choice": "present", "initial": f in first} for f in split_values(yes)
            ]
            + [{"id": f, "choice": "absent", "initial": False} for f in split_values(no)],
            "concerns": split_values(concern),
            **({"text": text} if text is not None else {}),
        }
        record = store.record_assessment(
            user, evidence, result.model_dump(mode="json"), origin="manual"
        )
        Console(stderr=True).print(f"Saved to your diary as assessment {record.id}.")


# -- evaluate ---------------------------------------------------------------------------------
@app.command("evaluate")
def evaluate_cmd(
    file: Annotated[
        Path, typer.Argument(help="A vignette file (JSON Lines, shared/spec/vignettes.md).")
    ],
    mode: Annotated[
        str,
        typer.Option(
            help="structured (all findings at once), interview, text (the narrative alone) "
            "or text_interview (the narrative, then the interview)."
        ),
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
        print_json(report)
        return
    with Progress(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("Evaluating", total=len(vignettes))
        report = evaluate(
            checker, vignettes, mode, progress=lambda done, _: bar.update(task, completed=done)
        )
    render_report(out_console(), report)


@vignettes_app.command("check")
def vignettes_check(
    file: Annotated[Path, typer.Argument(help="A vignette file (JSON Lines).")],
    test: Annotated[
        bool,
        typer.Option(
            "--test",
            help="Hold the file to the test split's rules: author, brief_sha, stated, the "
            "source's own https address first, and coverage.",
        ),
    ] = False,
    vocabulary: Annotated[
        Path | None,
        typer.Option(help="The vocabulary (vocabulary.yaml): ids must be in it too."),
    ] = None,
    kb_path: Annotated[
        Path | None, typer.Option("--kb", help="A KB folder; the shipped KB when omitted.")
    ] = None,
) -> int:
    """Check ids, closure, duplicates and the leak rule; exit 2 listing every problem."""
    from twitchcheck.evaluation.check import check_vignettes, load_vocabulary
    from twitchcheck.kb import load_kb, load_kb_from_path

    kb = load_kb_from_path(kb_path) if kb_path else load_kb()
    vocab = load_vocabulary(vocabulary) if vocabulary else None
    problems = check_vignettes(file, kb, test=test, vocabulary=vocab)
    out = out_console()
    for problem in problems:
        out.print(escape(problem.render(str(file))), soft_wrap=True)
    if problems:
        Console(stderr=True).print(f"{len(problems)} problem(s) in {escape(str(file))}.")
        return 2
    out.print(f"OK: {escape(str(file))} passes every check{' for a test file' if test else ''}.")
    return 0


@app.command("interview")
def interview_cmd(
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="Replay answers from a JSON file instead of asking."),
    ] = None,
    max_questions: Annotated[
        int, typer.Option(min=1, max=MAX_QUESTIONS_LIMIT, help="Ask at most this many screens.")
    ] = DEFAULT_MAX_QUESTIONS,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --answers: print the Assessment as JSON.")
    ] = False,
    show_all: ShowAll = False,
    list_sources: ListSources = False,
) -> int:
    """Answer one question at a time; ends with the same result as `assess`."""
    from twitchcheck.api import default_checker
    from twitchcheck.interfaces.interview_cli import run_from_file, run_interactive
    from twitchcheck.interfaces.result_view import show_result

    checker = default_checker()
    if answers is not None:
        result = run_from_file(checker, answers, max_questions)
        show_result(checker, result, as_json=as_json, show_all=show_all, list_sources=list_sources)
        return 0
    return run_interactive(
        checker,
        out_console(),
        max_questions=max_questions,
        show_all=show_all,
        list_sources=list_sources,
    )


app.command("serve")(serve_cmd)


def _is_click_error(exc: Exception) -> bool:
    """Typer vendors its own copy of click, so match click's exception classes by name."""
    return any(cls.__name__ == "ClickException" for cls in type(exc).__mro__) and hasattr(
        exc, "show"
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the app and maps errors to exit codes, without tracebacks."""
    err = Console(stderr=True, highlight=False)
    args = sys.argv[1:] if argv is None else argv
    if not args:  # `twitchcheck` alone starts the interview
        args = ["interview"]
    try:
        rv = app(args=args, standalone_mode=False, prog_name="twitchcheck")
    except TwitchcheckError as exc:
        err.print(f"[bold red]Error[/bold red] {escape(str(exc))}", soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if _is_click_error(exc):  # usage errors: click's own message, exit code 2
            exc.show()  # type: ignore[attr-defined]
            return int(getattr(exc, "exit_code", 2))
        if type(exc).__name__ == "Abort":
            err.print("Aborted.")
            return 1
        # A bug, not bad input: say so plainly, keep the trace for debugging. Only the kind of
        # error is shown: its text may quote what was being written (health data).
        if os.environ.get("TWITCHCHECK_DEBUG"):
            raise
        err.print(
            escape(f"Internal error ({type(exc).__name__}). Set TWITCHCHECK_DEBUG=1 for details.")
        )
        return INTERNAL_ERROR
    return rv if isinstance(rv, int) else 0
