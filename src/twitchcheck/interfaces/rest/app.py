"""The FastAPI application: the REST API under /api/v1, the diary and account pages, the web page.

:func:`create_app` only composes: the routes (:mod:`.routes`), the pages
(:mod:`twitchcheck.interfaces.web`), problem+json errors (:mod:`.problems`), the OpenAPI document
(:mod:`.openapi`) and the middleware (:mod:`.middleware`). Nothing here holds health data beyond
one request: answers travel in POST bodies only, nothing is logged but method, path and status,
and results are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from fastapi import FastAPI

from twitchcheck.api import Checker
from twitchcheck.diary.service import DiaryStore
from twitchcheck.interfaces.rest.clients import Proxies
from twitchcheck.interfaces.rest.deps import app_checker
from twitchcheck.interfaces.rest.docs_pages import mount_docs
from twitchcheck.interfaces.rest.guards import BodyGuard, HostCheck
from twitchcheck.interfaces.rest.middleware import AccessLog, BodyLimit, RateLimit, SecurityHeaders
from twitchcheck.interfaces.rest.openapi import openapi_with_problems
from twitchcheck.interfaces.rest.paths import DIARY_API
from twitchcheck.interfaces.rest.problems import add_problem_handlers
from twitchcheck.interfaces.rest.routes import accounts, diary
from twitchcheck.interfaces.rest.routes.assess import add_assess_routes
from twitchcheck.interfaces.rest.routes.cds_hooks import add_cds_routes
from twitchcheck.interfaces.rest.routes.fhir import add_fhir_routes
from twitchcheck.interfaces.rest.routes.kb import add_kb_routes
from twitchcheck.interfaces.rest.routes.service import add_service_routes
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.interfaces.rest.shared_limits import SharedAttemptLimiter, SharedLimits
from twitchcheck.interfaces.rest.state import DiaryState
from twitchcheck.interfaces.web.account_pages import mount_account_pages
from twitchcheck.interfaces.web.diary_pages import mount_diary_pages
from twitchcheck.interfaces.web.pages import mount_web
from twitchcheck.interfaces.web.site import Site


def create_app(
    settings: Settings | None = None,
    checker: Checker | None = None,
    store: DiaryStore | None = None,
) -> FastAPI:
    """The app. ``store``: the diary store to use (tests pass one); by default the database of
    ``settings.database_url`` is opened and migrated on the first diary request."""
    settings = settings or Settings()
    app = FastAPI(
        # /docs and /redoc are this package's own pages (docs_pages.py): FastAPI's load their
        # scripts from a CDN and start with an inline script, both refused by the app's CSP.
        docs_url=None,
        redoc_url=None,
        title="twitchcheck",
        version="1",
        description=(
            "Why does my nose twitch? Ranked causes with exact probabilities, triage and cited advice. "
            "Decision support, not a diagnosis. Answers travel in POST bodies only.\n\n"
            f"Limits: {settings.rate_limit_per_minute} requests a minute per client address (then "
            "429 with `Retry-After`); request bodies up to "
            f"{settings.max_body_bytes:,} bytes (then 413). Errors are `application/problem+json` "
            "documents with a stable `code` and a plain `title`. `GET /healthz` answers "
            '`{"status": "ok", "kb_version": ...}` while the service is up; `GET /readyz` '
            '`{"status": "ready"}` while the database answers too (else 503).'
        ),
    )
    app.openapi = lambda: openapi_with_problems(app)  # type: ignore[method-assign]
    app.state.checker = checker  # None: the shipped KB's (see deps.app_checker)
    add_problem_handlers(app)
    app.add_middleware(AccessLog)
    mount_docs(app)

    add_service_routes(app)
    add_assess_routes(app)
    add_kb_routes(app)
    add_fhir_routes(app)
    add_cds_routes(app, settings)  # CDS Hooks 2.0 under /cds-services (docs/fhir.md)

    # The diary: the store (see state.DiaryState), accounts, the API and its pages.
    # With several worker processes the limits live in the database (shared_limits.py).
    shared = SharedLimits(settings.resolved_database_url) if settings.shared_limits else None
    limiter = (
        SharedAttemptLimiter(settings.login_attempts_per_minute, shared=shared) if shared else None
    )
    app.state.diary = DiaryState(
        settings, lambda: app_checker(app).kb, store=store, limiter=limiter
    )
    app.include_router(accounts.router)
    app.include_router(diary.router)
    site = Site(app)
    mount_diary_pages(app, site)
    mount_account_pages(app, site)

    # The last added is the outermost: headers go on every answer, 413 and 429 included; the
    # host is checked before anything else is done.
    app.add_middleware(
        BodyGuard,
        timeout=settings.body_timeout_seconds,
        upload_timeout=settings.upload_timeout_seconds,
    )
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        # The import takes whole CSV files; its route checks the file's own size too.
        uploads={
            f"{DIARY_API}/import": max(settings.max_body_bytes, diary.MAX_IMPORT_BYTES + (1 << 20))
        },
    )
    app.add_middleware(
        RateLimit,
        per_minute=settings.rate_limit_per_minute,
        proxies=Proxies(settings.proxies),
        shared=shared,
    )
    app.add_middleware(HostCheck, names=settings.host_names)
    app.add_middleware(SecurityHeaders)
    mount_web(app)
    return app
