"""``twitchcheck kb fit``: fit the causes' priors to the dev split, measure, optionally write.

A thin wrapper: the fit is :mod:`twitchcheck.evaluation.fit`, its measurement
:mod:`twitchcheck.evaluation.fit_check`, the file edit :mod:`twitchcheck.kb.fitted`
(docs/fitting.md).
"""

from __future__ import annotations

import datetime
import hashlib
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from twitchcheck.interfaces.cli_common import err_console, out_console, print_json, split_values

DEFAULT_DATA = Path("vignettes/dev.jsonl")


def kb_fit(
    strength: Annotated[
        float,
        typer.Option(
            help="Standard deviation of the prior on each log-odds shift (natural log; 1 = a "
            "factor of e)."
        ),
    ] = 1.0,
    data: Annotated[
        Path, typer.Option(help="The vignettes to fit to (never the test split).")
    ] = DEFAULT_DATA,
    category: Annotated[
        list[str] | None,
        typer.Option(help="Fit only the causes of these categories (repeat or comma-separate)."),
    ] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds (0: skip it).")] = 5,
    write: Annotated[
        bool, typer.Option("--write", help="Write the fitted priors, labelled, to causes.yaml.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Fit the causes' priors to vignettes (MAP), show before/after and cross-validated numbers."""
    from twitchcheck.errors import EvaluationError
    from twitchcheck.evaluation.fit import fit_changes, fit_priors, fitted_kb
    from twitchcheck.evaluation.fit_check import before_after, cross_validate
    from twitchcheck.evaluation.vignettes import load_vignettes
    from twitchcheck.kb import load_kb
    from twitchcheck.kb.fitted import shipped_causes_file, write_priors

    if "test" in data.name:
        raise EvaluationError(f"{data} looks like a test split; the fit never uses one.")
    if not strength > 0.0:
        raise EvaluationError(f"--strength must be positive, not {strength}.")
    categories = split_values(category)
    vignettes = load_vignettes(data)
    kb = load_kb()
    started = time.perf_counter()
    try:
        fit = fit_priors(kb, vignettes, strength, categories)
    except ValueError as exc:
        raise EvaluationError(str(exc)) from None
    fit_seconds = time.perf_counter() - started
    report: dict[str, Any] = {
        "data": str(data),
        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
        "strength": strength,
        "categories": categories,
        "cases": fit.cases,
        "iterations": fit.iterations,
        "seconds": round(fit_seconds, 1),
        "objective": {"start": fit.start.value, "end": fit.end.value},
        "priors": {
            c: {"old": float(o), "new": v, "shift": float(d)}
            for c, o, v, d in zip(
                fit.cause_ids, fit.old, fit.rounded().values(), fit.shift, strict=True
            )
        },
        "dev": before_after(kb, fitted_kb(kb, fit), vignettes),
    }
    if folds:
        report["cross_validation"] = cross_validate(kb, vignettes, strength, folds, categories)
    if write:
        command = f"twitchcheck kb fit --strength {strength:g}" + "".join(
            f" --category {c}" for c in categories
        )
        changes = fit_changes(
            kb,
            fit,
            command=command,
            data=data.as_posix(),
            sha256=report["sha256"],
            date=datetime.datetime.now(datetime.UTC).date().isoformat(),
        )
        write_priors(shipped_causes_file(), changes)
        report["written"] = sorted(changes)
    if as_json:
        print_json(report)
    else:
        render_fit(report)


def render_fit(report: dict[str, Any]) -> None:
    console = out_console()
    console.print(
        f"[bold]Prior fit[/bold] on {report['data']} ({report['cases']} cases, sha256 "
        f"{report['sha256'][:12]}), strength {report['strength']:g}: {report['iterations']} "
        f"iterations, {report['seconds']} s; objective {report['objective']['start']:.2f} -> "
        f"{report['objective']['end']:.2f}"
    )
    table = Table(title="Priors (reference person)")
    for col in ("cause", "unfitted", "fitted", "factor (odds)"):
        table.add_column(col, justify="left" if col == "cause" else "right")
    for cause, p in report["priors"].items():
        table.add_row(cause, f"{p['old']:.3g}", p["new"], f"x{2.718281828 ** p['shift']:.2f}")
    console.print(table)
    for mode, numbers in report["dev"].items():
        _compare(
            f"{report['data']}, {mode} (cases the fit saw)", numbers["before"], numbers["after"]
        )
    cv = report.get("cross_validation")
    if cv:
        _compare(
            f"{cv['folds']}-fold cross-validation, structured (held-out cases, pooled)",
            cv["unfitted"],
            cv["fitted_held_out"],
        )
    if "written" in report:
        err_console().print(f"Wrote {len(report['written'])} fitted priors to causes.yaml.")


def _compare(title: str, before: dict[str, float], after: dict[str, float]) -> None:
    table = Table(title=title)
    for col in ("metric", "unfitted", "fitted"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for key, value in before.items():
        table.add_row(key, f"{value:.3f}", f"{after[key]:.3f}")
    out_console().print(table)
