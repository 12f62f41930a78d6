"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served offline.

FastAPI's own pages load Swagger UI and ReDoc from a CDN and start Swagger UI with an inline
script; the app's CSP (``script-src 'self'``, see :mod:`.middleware`) blocks both, so the pages
were blank. Here the assets come from the ``fastapi-offline`` package (Swagger UI's bundle and
CSS, ReDoc's standalone bundle, a favicon), mounted at :data:`ASSETS`; the start-up scripts are
static files of this package (``/static/docs-swagger.js``, ``/static/docs-redoc.js``), so no
request leaves the machine and no inline script runs.

Swagger UI runs under the app's CSP as it is. ReDoc needs three things more, granted on
``/redoc`` only (every other page, ``/docs`` included, keeps the app's CSP unchanged):

- ``style-src 'self' 'nonce-…' 'sha256-…'``: ReDoc (styled-components) injects ``<style>``
  elements while it renders; a per-response nonce admits them (the start-up script hands it to
  ReDoc). Two ``<style>`` elements are written while the bundle loads, before any script can
  pass a nonce: the scroll bars' fixed CSS (and the same element empty); they are admitted by
  their hashes (:data:`REDOC_STYLE_HASHES`). Never ``'unsafe-inline'``.
- ``worker-src blob:``: ReDoc's search runs in a Web Worker built from a blob of its own code.
- nothing for the "API docs by Redocly" logo, which ReDoc loads from cdn.redoc.ly: the
  start-up script gives that image an empty ``data:`` address instead, so ReDoc hides it and
  no request leaves the machine.
"""

from __future__ import annotations

import secrets
from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from twitchcheck.interfaces.rest.middleware import content_security_policy

#: CSP hashes of the two <style> elements ReDoc's bundle (fastapi-offline 1.7.7, redoc 2.x)
#: writes as it loads: the empty element and perfect-scrollbar's CSS. A new bundle with other
#: CSS fails tests/web/test_api_docs.py (a CSP violation), and its message gives the new hash.
REDOC_STYLE_HASHES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
)
#: Where the packaged Swagger UI and ReDoc files are served.
ASSETS = "/docs-assets"
DOCS = "/docs"
REDOC = "/redoc"


def _asset_folder() -> Path:
    """fastapi-offline's ``static`` folder (a real directory: StaticFiles needs one)."""
    path = Path(str(files("fastapi_offline").joinpath("static")))
    if not path.is_dir():
        raise RuntimeError(f"Swagger UI / ReDoc assets not found on disk: {path}")
    return path


def _swagger_page(root: str, openapi_url: str, title: str) -> str:
    # The start-up script reads the document's address from the container's data attribute.
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - Swagger UI</title>
<link rel="stylesheet" href="{root}{ASSETS}/swagger-ui.css">
<link rel="icon" href="{root}{ASSETS}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{escape(root + openapi_url)}"></div>
<script src="{root}{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{root}/static/docs-swagger.js"></script>
</body>
</html>
"""


def _redoc_page(root: str, openapi_url: str, title: str, nonce: str) -> str:
    # A <div>, not <redoc spec-url>: ReDoc would start itself from the element's attributes,
    # and a browser hides a ``nonce`` attribute's value from scripts; the start-up script
    # reads the nonce from its own <script> element's ``nonce`` property instead.
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - ReDoc</title>
<link rel="stylesheet" href="{root}/static/docs.css">
<link rel="icon" href="{root}{ASSETS}/favicon.png">
</head>
<body>
<noscript>ReDoc needs JavaScript. The OpenAPI document is at {escape(root + openapi_url)}.</noscript>
<div id="redoc" data-openapi-url="{escape(root + openapi_url)}"></div>
<script src="{root}{ASSETS}/redoc.standalone.js"></script>
<script src="{root}/static/docs-redoc.js" nonce="{nonce}"></script>
</body>
</html>
"""


def mount_docs(app: FastAPI) -> None:
    """Add ``/docs``, ``/redoc`` and their assets to ``app`` (created with ``docs_url=None`` and
    ``redoc_url=None``)."""
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount(ASSETS, StaticFiles(directory=str(_asset_folder())), name="docs-assets")

    @app.get(DOCS, response_class=HTMLResponse, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", ""))
        return HTMLResponse(_swagger_page(root, openapi_url, app.title))

    @app.get(REDOC, response_class=HTMLResponse, include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", ""))
        nonce = secrets.token_urlsafe(18)
        response = HTMLResponse(_redoc_page(root, openapi_url, app.title, nonce))
        # SecurityHeaders keeps this page's own CSP (see middleware.OWN_CSP): the app's policy
        # with style-src widened by this response's nonce and the two hashes, and blob: workers
        # (the module docstring says why).
        response.headers["content-security-policy"] = content_security_policy(
            style_src=" ".join(["'self'", f"'nonce-{nonce}'", *REDOC_STYLE_HASHES]),
            worker_src="blob:",
        ).decode()
        return response
