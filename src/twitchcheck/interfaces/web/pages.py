"""Serve the single-page app: ``GET /`` renders the page, ``/static/*`` its assets.

The folders are found with :mod:`importlib.resources`, so the page works from an installed
wheel as well as from an editable checkout. The page carries no inline script or style, so it
runs under the app's strict Content-Security-Policy (``script-src 'self'; style-src 'self'``).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from twitchcheck import __version__

PACKAGE = "twitchcheck.interfaces.web"


def asset_folder(name: str) -> Path:
    """The package folder ``name`` as a real directory (StaticFiles and Jinja2 need one)."""
    folder = files(PACKAGE).joinpath(name)
    path = Path(str(folder))
    if not path.is_dir():  # e.g. imported from a zip file: not supported for serving
        raise RuntimeError(f"twitchcheck web assets not found on disk: {folder}")
    return path


def mount_web(app: FastAPI) -> None:
    """Add ``GET /`` (the page) and ``/static`` (its CSS, JavaScript and images) to ``app``."""
    templates = Jinja2Templates(directory=str(asset_folder("templates")))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "index.html", {"version": __version__})

    app.mount("/static", StaticFiles(directory=str(asset_folder("static"))), name="static")
