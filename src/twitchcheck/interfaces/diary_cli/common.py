"""The ``diary`` command group, its database option, and what every diary command shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer

from twitchcheck.diary.wording import label_of
from twitchcheck.errors import RecordError
from twitchcheck.interfaces.cli_common import err_console, print_json

if TYPE_CHECKING:
    from twitchcheck.api import Checker
    from twitchcheck.diary.service import DiaryStore, UserRef

diary_app = typer.Typer(
    help="The twitch diary: record episodes and check-ins, see trends, triggers and changes, "
    "make a report for your doctor, export and import.",
    no_args_is_help=True,
)


@dataclass
class DiaryContext:
    """What the group option chose; the store is opened on first use (``--help`` stays fast)."""

    url: str | None
    _opened: tuple[DiaryStore, UserRef] | None = field(default=None, repr=False)

    def open(self) -> tuple[DiaryStore, UserRef]:
        if self._opened is None:
            from twitchcheck.diary.service import open_store
            from twitchcheck.kb.loader import load_kb

            store = open_store(self.url, load_kb())
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


def print_entry_json(data: Any) -> None:
    """JSON of what a command stored or read (dates and anything else as text)."""
    print_json(data, default=str)


def open_diary(ctx: typer.Context) -> tuple[DiaryStore, UserRef]:
    obj = ctx.find_object(DiaryContext)
    if obj is None:  # the group callback always sets it; this guards direct calls
        obj = DiaryContext(None)
    return obj.open()


def renamed(exc: RecordError, options: dict[str, str]) -> RecordError:
    """The same problems, each naming the option the person typed (``--seconds``)."""
    problems = []
    for where, msg in exc.problems:
        head, _, rest = where.partition(".")
        if head in options:
            where = options[head] + (f" {rest}" if rest else "")
        problems.append((where, msg))
    return RecordError(problems)


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise RecordError([(option, f"'{value}' is not a date (use YYYY-MM-DD)")]) from None


def finding_label(store: DiaryStore, finding_id: str) -> str:
    return label_of(store.kb, finding_id)


def checker() -> Checker:
    from twitchcheck.api import default_checker

    return default_checker()


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
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
        console=err_console(),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)
