"""The assessments cards link to, kept server-side under random tokens for a short while.

A card's link must open in the clinician's browser, which carries none of the CDS client's
credentials, and a URL ends up in browser histories and proxy logs: so the URL carries only an
unguessable token (256 random bits) and the assessment stays here, for ``ttl_seconds``.

The store is this process's memory: it is lost on restart, and with ``serve --workers N`` (N > 1)
a link opens only when the request reaches the worker that made the card (docs/fhir.md says so).
It holds at most ``max_items`` assessments, dropping the oldest first.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from twitchcheck import results as r


@dataclass(frozen=True)
class StoredView:
    assessment: r.Assessment
    expires: float  # on the store's clock


class ViewStore:
    """Assessments by token, each until its expiry; thread-safe."""

    def __init__(
        self,
        ttl_seconds: float,
        max_items: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_items = max_items
        self.clock = clock
        self._views: OrderedDict[str, StoredView] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, assessment: r.Assessment) -> str:
        """Keep ``assessment``; the token that opens it."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._drop_expired(now)
            self._views[token] = StoredView(assessment, now + self.ttl_seconds)
            while len(self._views) > self.max_items:
                self._views.popitem(last=False)
        return token

    def get(self, token: str) -> r.Assessment | None:
        """The assessment ``token`` opens, or None when unknown or expired."""
        now = self.clock()
        with self._lock:
            view = self._views.get(token)
            if view is None or view.expires <= now:
                self._views.pop(token, None)
                return None
            return view.assessment

    def _drop_expired(self, now: float) -> None:
        # Tokens are added in time order and share one TTL: the expired ones are at the front.
        while self._views:
            token, view = next(iter(self._views.items()))
            if view.expires > now:
                break
            del self._views[token]
