"""What the diary pages and the account pages share: the templates, the app's diary, who is
asking (decided exactly as for the API, by :func:`twitchcheck.interfaces.rest.auth.identify`),
and the error page."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from twitchcheck import __version__
from twitchcheck.api import Checker
from twitchcheck.errors import ForbiddenError
from twitchcheck.interfaces.rest.auth import Caller, identify, refuse
from twitchcheck.interfaces.rest.deps import app_checker, app_diary
from twitchcheck.interfaces.rest.state import DiaryState
from twitchcheck.interfaces.web.pages import asset_folder


class Site:
    """The server-rendered pages of one app."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.templates = Jinja2Templates(directory=str(asset_folder("templates")))

    @property
    def state(self) -> DiaryState:
        return app_diary(self.app)

    def checker(self) -> Checker:
        return app_checker(self.app)

    async def caller(self, request: Request) -> Caller | Response:
        """The caller, or the response to send instead (sign-in page, 403 page); audited."""
        try:
            caller = await identify(request, self.state)
        except ForbiddenError as exc:
            await run_in_threadpool(refuse, self.state, request, "anonymous", 403)
            return self.error_page(request, 403, "Refused", exc.message)
        if caller is None:
            await run_in_threadpool(refuse, self.state, request, "anonymous", 401)
            return RedirectResponse("/login", status_code=303)
        return caller

    def error_page(self, request: Request, status: int, title: str, message: str) -> Response:
        return self.templates.TemplateResponse(
            request,
            "diary_error.html",
            self.common(None) | {"title": title, "message": message},
            status_code=status,
        )

    def common(self, caller: Caller | None) -> dict[str, Any]:
        """What every page's template reads."""
        return {
            "version": __version__,
            "multi_user": self.state.settings.multi_user,
            "username": caller.user.username if caller else None,
            "csrf_token": caller.csrf_token if caller else None,
        }
