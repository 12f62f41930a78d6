"""The web pages served by the REST app.

- :mod:`.pages`: the single-page app (``GET /`` and ``/static/*``). Everything it needs is served
  from this package (no CDN). The page talks to the REST API with ``fetch()`` and JSON POST bodies
  and keeps the answers in memory only: never in the URL, a cookie or anything the browser keeps.
- :mod:`.diary_pages` and :mod:`.account_pages`: the server-rendered diary (``/diary``) and the
  sign-in pages, sharing :class:`.site.Site`; :mod:`.forms` reads their HTML forms.
"""

from __future__ import annotations

from twitchcheck.interfaces.web.pages import mount_web

__all__ = ["mount_web"]
