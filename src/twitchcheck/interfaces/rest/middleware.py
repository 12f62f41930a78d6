"""The app's middleware, pure ASGI so that the body limit applies before anything reads the body.

Nothing here holds health data beyond one request: the access log has method, path and status
only, and answers under the API and the personal pages are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, ClassVar

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twitchcheck.interfaces.rest.clients import Proxies, client_address
from twitchcheck.interfaces.rest.paths import API, FHIR, PERSONAL_PAGES
from twitchcheck.interfaces.rest.problems import answer

if TYPE_CHECKING:
    from twitchcheck.interfaces.rest.shared_limits import SharedLimits

log = logging.getLogger("twitchcheck.rest")


def content_security_policy(style_src: str = "'self'", worker_src: str | None = None) -> bytes:
    """The app's CSP: no inline script or style, nothing from another origin. ``style_src`` and
    ``worker_src`` are widened only by ``/redoc`` (see docs_pages.py)."""
    workers = f"worker-src {worker_src}; " if worker_src else ""
    return (
        "default-src 'self'; script-src 'self'; "
        f"style-src {style_src}; {workers}img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ).encode()


#: Paths whose own Content-Security-Policy header (set by the route) is kept: ``/redoc`` sends
#: the app's policy with a nonce in ``style-src`` (see docs_pages.py). Any other CSP is replaced.
OWN_CSP = frozenset({"/redoc"})


class SecurityHeaders:
    """CSP without inline script, no sniffing, no referrer, no caching of anything personal."""

    HEADERS: ClassVar[dict[bytes, bytes]] = {
        b"content-security-policy": content_security_policy(),
        b"x-content-type-options": b"nosniff",
        b"referrer-policy": b"no-referrer",
        b"x-frame-options": b"DENY",
        b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
        b"cross-origin-opener-policy": b"same-origin",
    }

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = dict(message.get("headers", [])) if path in OWN_CSP else {}
                csp = own.get(b"content-security-policy")
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in self.HEADERS
                ]
                headers += list(self.HEADERS.items())
                if csp is not None:
                    headers = [(k, v) for k, v in headers if k != b"content-security-policy"]
                    headers.append((b"content-security-policy", csp))
                if path.startswith((API, FHIR, *PERSONAL_PAGES)) or path == "/":
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse bodies over ``limit`` bytes with a 413 problem, declared or streamed.

    ``uploads`` names paths that take files (the diary's CSV import) with their own, larger limit.
    """

    def __init__(self, app: ASGIApp, limit: int, uploads: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.uploads = uploads or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.uploads.get(scope.get("path", ""), self.limit)
        if limit != self.limit:
            await BodyLimit(self.app, limit)(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = answer(
            scope.get("path", ""),
            413,
            "Request too large",
            f"Request bodies are limited to {self.limit} bytes.",
            "E413",
        )
        await response(scope, receive, send)


class AccessLog:
    """Method, path and status only: never the query string or the body (health data)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 0

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, send_and_note)
        log.info("%s %s %s", scope.get("method"), scope.get("path"), status)


class RateLimit:
    """A token bucket per client address: ``per_minute`` requests, refilled continuously.

    In memory (one process), or in the database when ``shared`` is given (``serve --workers
    N``), falling back to memory while the database does not answer (fail open)."""

    #: Once this many clients are tracked, those idle for IDLE_SECONDS are forgotten, so that
    #: memory stays bounded.
    MAX_CLIENTS = 10_000
    IDLE_SECONDS = 120

    def __init__(
        self, app: ASGIApp, per_minute: int, proxies: Proxies, shared: SharedLimits | None = None
    ) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.proxies = proxies
        self.shared = shared
        self.buckets: dict[str, tuple[float, float]] = {}

    def _take_local(self, key: str) -> float:
        """0.0 when ``key`` may go on, else the seconds until its next token."""
        now = time.monotonic()
        tokens, last = self.buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self.buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate
        self.buckets[key] = (tokens - 1.0, now)
        if len(self.buckets) > self.MAX_CLIENTS:
            cutoff = now - self.IDLE_SECONDS
            self.buckets = {k: v for k, v in self.buckets.items() if v[1] >= cutoff}
        return 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith((API, FHIR)):
            await self.app(scope, receive, send)
            return
        key = client_address(scope, self.proxies)
        wait: float | None = None
        if self.shared is not None:
            wait = await run_in_threadpool(self.shared.take, key, self.capacity, self.rate)
        if wait is None:
            wait = self._take_local(key)
        if wait > 0:
            retry = max(1, int(wait) + 1)
            response = answer(
                scope.get("path", ""),
                429,
                "Too many requests",
                f"Please wait {retry} s and try again.",
                "E429",
            )
            response.headers["Retry-After"] = str(retry)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
