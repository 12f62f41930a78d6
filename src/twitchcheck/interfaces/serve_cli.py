"""``twitchcheck serve``: the web app and REST API under uvicorn.

The app's own settings decide what uvicorn may believe: uvicorn trusts ``X-Forwarded-For`` from
loopback unless told otherwise, which would let any local client (or a page rebinding its name to
127.0.0.1) rotate the header past every per-address limit. So proxy headers are read only from
the configured ``trusted_proxies`` (:func:`uvicorn_options`).

``--workers N`` (N > 1) runs N uvicorn worker processes, each building its app with
:func:`worker_app` from the settings this command puts in the environment. Their rate limits and
sign-in throttles then live in PostgreSQL (:mod:`twitchcheck.interfaces.rest.shared_limits`), so
N processes do not multiply every limit by N; on SQLite more than one process is refused (exit 2).
One process keeps the in-memory limiter.
"""

from __future__ import annotations

import gc
import os
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
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes. More than 1 needs PostgreSQL: the rate limits and sign-in "
            "throttles are then kept in the database, where every worker sees them.",
        ),
    ] = 1,
) -> None:
    """Start the web app and REST API (http://127.0.0.1:8000 by default)."""
    import uvicorn

    from twitchcheck.api import default_checker
    from twitchcheck.diary.service import open_store
    from twitchcheck.interfaces.rest.app import create_app

    settings = _settings(
        host=host,
        port=port,
        multi_user=multi_user,
        database_url=database_url,
        **({"shared_limits": True} if workers > 1 else {}),
    )
    checker = default_checker()
    # Opened (and migrated) before the server starts, so a bad database fails here, clearly.
    store = open_store(settings.database_url, checker.kb)
    mode = "multi-user: sign in at /login" if multi_user else "single user"
    if workers > 1:
        mode += f"; {workers} workers, limits kept in the database"
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
    if settings.shared_limits:
        from twitchcheck.interfaces.rest.shared_limits import SharedLimits

        SharedLimits(settings.resolved_database_url).ensure()  # once, before any worker
    if workers > 1:
        store.engine.dispose()
        # Each worker reads its settings from the environment it inherits (worker_app).
        os.environ.update(
            {
                "TWITCHCHECK_HOST": settings.host,
                "TWITCHCHECK_PORT": str(settings.port),
                "TWITCHCHECK_MULTI_USER": "true" if settings.multi_user else "false",
                "TWITCHCHECK_DATABASE_URL": settings.resolved_database_url,
                "TWITCHCHECK_SHARED_LIMITS": "true",
            }
        )
        uvicorn.run(
            f"{__name__}:worker_app", factory=True, workers=workers, **uvicorn_options(settings)
        )
        return
    app_ = create_app(settings, checker, store=store)
    # What exists now (the KB, the network, the app) lives as long as the server: moved out of
    # the garbage collector's sight, so that its full collections, which would walk all of it
    # again and again, stay short and do not pause the answers.
    gc.collect()
    gc.freeze()
    uvicorn.run(app_, **uvicorn_options(settings))


def worker_app() -> Any:
    """The app of one worker process of ``serve --workers N`` (settings from the environment;
    the database was migrated by ``serve`` before the workers started)."""
    from twitchcheck.api import default_checker
    from twitchcheck.diary.service import open_store
    from twitchcheck.interfaces.rest.app import create_app

    settings = Settings()
    checker = default_checker()
    app = create_app(settings, checker, store=open_store(settings.database_url, checker.kb))
    gc.collect()
    gc.freeze()
    return app
