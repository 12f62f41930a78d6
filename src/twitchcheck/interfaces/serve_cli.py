"""``twitchcheck serve``: the web app and REST API under uvicorn.

The app's own settings decide what uvicorn may believe: uvicorn trusts ``X-Forwarded-For`` from
loopback unless told otherwise, which would let any local client (or a page rebinding its name to
127.0.0.1) rotate the header past every per-address limit. So proxy headers are read only from
the configured ``trusted_proxies`` (:func:`uvicorn_options`).
"""

from __future__ import annotations

import gc
from typing import Annotated, Any

import typer

from twitchcheck.interfaces.cli_common import out_console
from twitchcheck.interfaces.rest.settings import Settings, is_loopback


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for ``settings``: forwarded headers only from the trusted proxies, no
    access log (the app logs method, path and status itself), no server banner."""
    proxies = list(settings.proxies)
    return {
        "host": settings.host,
        "port": settings.port,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies,
        "server_header": False,
        "log_level": "warning",
        "access_log": False,
    }


def _settings(**given: Any) -> Settings:
    from pydantic import ValidationError

    from twitchcheck.errors import ValueRangeError

    try:
        return Settings(**given)
    except ValidationError as exc:
        raise ValueRangeError(
            "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        ) from None


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

    from twitchcheck.api import default_checker
    from twitchcheck.diary.service import open_store
    from twitchcheck.interfaces.rest.app import create_app

    settings = _settings(host=host, port=port, multi_user=multi_user, database_url=database_url)
    checker = default_checker()
    # Opened (and migrated) before the server starts, so a bad database fails here, clearly.
    store = open_store(settings.database_url, checker.kb)
    mode = "multi-user: sign in at /login" if multi_user else "single user"
    out_console().print(
        f"twitchcheck is running at http://{host}:{port}  ({mode}; Ctrl+C stops it)"
    )
    if "*" not in settings.host_names and not is_loopback(host):
        # Reached from other machines: by a name that must be configured (DNS rebinding).
        names = ", ".join(sorted(settings.host_names))
        out_console().print(
            f"Answering only to the host names {names}; set TWITCHCHECK_ALLOWED_HOSTS to the "
            "names people and systems use to reach this server (docs/deploy.md)."
        )
    app_ = create_app(settings, checker, store=store)
    # What exists now (the KB, the network, the app) lives as long as the server: moved out of
    # the garbage collector's sight, so that its full collections, which would walk all of it
    # again and again, stay short and do not pause the answers.
    gc.collect()
    gc.freeze()
    uvicorn.run(app_, **uvicorn_options(settings))
