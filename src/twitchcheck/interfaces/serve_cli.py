"""``twitchcheck serve``: the web app and REST API on this machine."""

from __future__ import annotations

import gc
from typing import Annotated

import typer

from twitchcheck.interfaces.cli_common import out_console


def serve_cmd(
    host: Annotated[
        str, typer.Option(help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    multi_user: Annotated[
        bool,
        typer.Option(
            "--multi-user",
            help="Accounts with sign-in, each with a private diary (default: one local user).",
        ),
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="The diary database (default: $TWITCHCHECK_DATABASE_URL, else SQLite in your "
            "data folder).",
        ),
    ] = None,
) -> None:
    """Start the web app and REST API (http://127.0.0.1:8000 by default)."""
    import uvicorn
    from pydantic import ValidationError

    from twitchcheck.api import default_checker
    from twitchcheck.diary.service import open_store
    from twitchcheck.errors import ValueRangeError
    from twitchcheck.interfaces.rest.app import create_app
    from twitchcheck.interfaces.rest.settings import Settings

    try:
        settings = Settings(host=host, port=port, multi_user=multi_user, database_url=database_url)
    except ValidationError as exc:
        raise ValueRangeError(
            "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        ) from None
    checker = default_checker()
    # Opened (and migrated) before the server starts, so a bad database fails here, clearly.
    store = open_store(settings.database_url, checker.kb)
    mode = "multi-user: sign in at /login" if multi_user else "single user"
    out_console().print(
        f"twitchcheck is running at http://{host}:{port}  ({mode}; Ctrl+C stops it)"
    )
    app_ = create_app(settings, checker, store=store)
    # What exists now (the KB, the network, the app) lives as long as the server: moved out of
    # the garbage collector's sight, so that its full collections, which would walk all of it
    # again and again, stay short and do not pause the answers.
    gc.collect()
    gc.freeze()
    uvicorn.run(app_, host=host, port=port, log_level="warning", access_log=False)
