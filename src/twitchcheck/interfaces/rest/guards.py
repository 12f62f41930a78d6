"""The doors of the app, checked before any route runs: the ``Host`` a request names, the type of
its body, duplicate JSON keys and how long the body may take to arrive.

* **Host** (DNS rebinding): a page on another site can make its own name resolve to 127.0.0.1;
  the browser then sends ``Host: evil.example:8000`` and treats the answers as that site's own.
  Only the configured names are served (:attr:`Settings.host_names`; port ignored); any other is
  a 400 before anything is read or written.
* **Content types** (contracts §6 "Serving"): ``application/json`` under ``/api`` (but
  ``multipart/form-data`` for the CSV import), ``application/fhir+json`` or ``application/json``
  under ``/fhir``, ``application/json`` under ``/cds-services``, form types for the web forms. A
  request without a body needs none. Otherwise a 415.
* **Duplicate keys**: ``{"age": 30, "age": 90}`` means different things to different parsers;
  it is refused (422) rather than silently read as the last one.
* **Slow bodies**: the whole body must arrive within the configured time (408 otherwise), so a
  client that trickles or stalls cannot hold a worker for long.

Refusals are problem documents (OperationOutcome under ``/fhir``), but a short plain page on
the pages people read.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twitchcheck.interfaces.rest.paths import DIARY_API, PERSONAL_PAGES
from twitchcheck.interfaces.rest.problems import answer
from twitchcheck.interfaces.rest.settings import host_name

JSON = "application/json"
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
#: Accepted body types by path prefix, first match wins (contracts §6).
BODY_TYPES: tuple[tuple[str, frozenset[str]], ...] = (
    (f"{DIARY_API}/import", frozenset({"multipart/form-data"})),
    ("/api/", frozenset({JSON})),
    ("/fhir", frozenset({"application/fhir+json", JSON})),
    ("/cds-services", frozenset({JSON})),
    *((page, FORM_TYPES) for page in PERSONAL_PAGES),
)
WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def refusal(scope: Scope, status: int, title: str, detail: str, code: str) -> Response:
    """A problem document for machines, a plain page for people."""
    return answer(scope.get("path", ""), status, title, detail, code)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return None


class HostCheck:
    """Serve only the configured host names (``*`` among them turns the check off)."""

    def __init__(self, app: ASGIApp, names: frozenset[str]) -> None:
        self.app = app
        self.names = names
        self.any = "*" in names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.any:
            await self.app(scope, receive, send)
            return
        raw = _header(scope, b"host")
        if raw is not None and host_name(raw.decode("latin-1")) in self.names:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":  # none are served, but never to another host
            await send({"type": "websocket.close", "code": 1008})
            return
        response = refusal(
            scope,
            400,
            "Unknown host",
            "This server answers only to the host names it is configured with "
            "(setting TWITCHCHECK_ALLOWED_HOSTS).",
            "E400",
        )
        await response(scope, receive, send)


def _media_type(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    return raw.decode("latin-1").split(";", 1)[0].strip().lower() or None


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    if length is not None:
        return length.strip() not in (b"", b"0")
    return _header(scope, b"transfer-encoding") is not None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return out


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _TooSlow(Exception):
    pass


class BodyGuard:
    """Content types per route, no duplicate JSON keys, and a deadline for the whole body
    (``timeout`` seconds; ``upload_timeout`` for the CSV import)."""

    def __init__(self, app: ASGIApp, timeout: float, upload_timeout: float) -> None:
        self.app = app
        self.timeout = timeout
        self.upload_timeout = upload_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in WITH_BODY:
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if not _has_body(scope):
            await self.app(scope, receive, send)
            return
        kind = _media_type(_header(scope, b"content-type"))
        accepted = next((types for prefix, types in BODY_TYPES if path.startswith(prefix)), None)
        if accepted is None:  # no route takes a body here: the router answers
            await self.app(scope, receive, send)
            return
        if kind not in accepted:
            detail = (
                "The request body has no Content-Type"
                if kind is None
                else f"The request body's type {kind[:60]!r} is not accepted here"
            )
            response = refusal(
                scope,
                415,
                "Unsupported media type",
                f"{detail}; send {' or '.join(sorted(accepted))}.",
                "E415",
            )
            response.headers["Accept-Post"] = ", ".join(sorted(accepted))
            await response(scope, receive, send)
            return
        upload = path == f"{DIARY_API}/import"
        deadline = time.monotonic() + (self.upload_timeout if upload else self.timeout)
        if kind.endswith("json"):
            await self._json(scope, receive, send, deadline)
        else:
            await self._streamed(scope, receive, send, deadline)

    async def _json(self, scope: Scope, receive: Receive, send: Send, deadline: float) -> None:
        """Read the whole (small, already size-limited) JSON body, check its keys, replay it."""
        chunks: list[bytes] = []
        try:
            while True:
                message = await _before(receive, deadline)
                if message["type"] == "http.disconnect":
                    return  # the client left: nobody to answer
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except _TooSlow:
            await self._too_slow(scope, receive, send)
            return
        body = b"".join(chunks)
        try:
            json.loads(body, object_pairs_hook=_no_duplicates)
        except _DuplicateKey as exc:
            response = answer(
                scope.get("path", ""),
                422,
                "Invalid request",
                f"body: the key {exc.key[:60]!r} appears more than once in one object",
                "E422",
            )
            await response(scope, receive, send)
            return
        except ValueError:
            pass  # not JSON at all: the route says so in its own words
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, deadline: float) -> None:
        """Forms and uploads: passed on as they come, each read bounded by the deadline. The
        route (or FastAPI around it) may turn the timeout into an error of its own, so its
        answer is replaced by the 408."""
        slow = False

        async def bounded() -> Message:
            nonlocal slow
            try:
                return await _before(receive, deadline)
            except _TooSlow:
                slow = True
                raise

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if slow:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded, guarded_send)
        except _TooSlow:
            slow = True
        except Exception:
            if not slow:
                raise
        if slow and not started:
            await self._too_slow(scope, receive, send)

    @staticmethod
    async def _too_slow(scope: Scope, receive: Receive, send: Send) -> None:
        response = refusal(
            scope,
            408,
            "Request timeout",
            "The request body took too long to arrive; please try again.",
            "E408",
        )
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


async def _before(receive: Receive, deadline: float) -> Message:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _TooSlow
    try:
        # asyncio.timeout, not wait_for: no task per read on the hot routes
        async with asyncio.timeout(remaining):
            return await receive()
    except TimeoutError:
        raise _TooSlow from None
