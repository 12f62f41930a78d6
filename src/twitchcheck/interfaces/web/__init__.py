"""The web page: a single-page app served by the REST app (``GET /`` and ``/static/*``).

Everything it needs is served from this package (no CDN). The page talks to the REST API with
``fetch()`` and JSON POST bodies and keeps the answers in memory only: never in the URL, a cookie
or browser storage.
"""

from __future__ import annotations

from twitchcheck.interfaces.web.routes import mount_web

__all__ = ["mount_web"]
