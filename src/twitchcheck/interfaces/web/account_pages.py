"""The account pages of multi-user mode: ``/login``, ``/register`` and ``POST /logout``.

They sign in, register and sign out exactly as the API does (:mod:`twitchcheck.interfaces.rest.auth`)
and answer with the form again, its error shown, or a redirect. In single-user mode there are no
accounts: the sign-in and register pages lead to the diary.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from twitchcheck.diary import schemas as ds
from twitchcheck.errors import (
    AuthError,
    ForbiddenError,
    RecordError,
    TooManyAttemptsError,
    TwitchcheckError,
)
from twitchcheck.interfaces.rest import auth
from twitchcheck.interfaces.rest.problems import retry_after_headers, status_of
from twitchcheck.interfaces.rest.schemas import LoginIn, RegisterIn
from twitchcheck.interfaces.web.forms import form_errors, optional
from twitchcheck.interfaces.web.site import Site


def mount_account_pages(app: FastAPI, site: Site) -> None:
    """Add the account pages to ``app``."""

    def account_page(request: Request, name: str, status: int = 200, **extra: Any) -> Response:
        context = site.common(None) | {"errors": {}, "values": {}} | extra
        return site.templates.TemplateResponse(request, name, context, status_code=status)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    async def login_page(request: Request) -> Response:
        if not site.state.settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        back = "checker" if request.query_params.get("next") == "checker" else None
        return account_page(request, "login.html", done=request.query_params.get("done"), next=back)

    @app.post("/login", include_in_schema=False)
    async def login_form(request: Request) -> Response:
        state = site.state
        if not state.settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        form = await request.form()
        name = optional(form, "username") or ""
        # Signing in to save a result from the checker: back to the checker, which then saves
        # what it kept in the tab (app.js, resumePendingSave); anything else goes to the diary.
        back = "checker" if form.get("next") == "checker" else None
        try:
            auth.refuse_cross_site(request)
            body = LoginIn.model_validate(
                {"username": name, "password": form.get("password") or ""}
            )
            user = await run_in_threadpool(auth.verify_login, state, request, body)
        except ValidationError:
            errors = {"form": "Please enter your user name and your password."}
            return account_page(
                request, "login.html", 422, errors=errors, values={"username": name}, next=back
            )
        except (AuthError, ForbiddenError) as exc:
            status = 403 if isinstance(exc, ForbiddenError) else 401
            errors = {"form": exc.message}
            return account_page(
                request, "login.html", status, errors=errors, values={"username": name}, next=back
            )
        except TooManyAttemptsError as exc:
            response = account_page(
                request,
                "login.html",
                429,
                errors={"form": exc.message},
                values={"username": name},
                next=back,
            )
            response.headers.update(retry_after_headers(exc))
            return response
        session = await run_in_threadpool(auth.start_session, state, user)
        # The fragment never reaches a server: it tells the checker to save what it kept.
        response = RedirectResponse("/#resume-save" if back else "/diary", status_code=303)
        auth.set_session_cookie(response, state, session)
        return response

    @app.get("/register", response_class=HTMLResponse, include_in_schema=False)
    async def register_page(request: Request) -> Response:
        if not site.state.settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        return account_page(request, "register.html")

    @app.post("/register", include_in_schema=False)
    async def register_form(request: Request) -> Response:
        state = site.state
        if not state.settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        form = await request.form()
        name = optional(form, "username") or ""
        values = {"username": name}
        try:
            auth.refuse_cross_site(request)
            password = form.get("password") or ""
            if password != (form.get("password_again") or ""):
                raise RecordError([("password_again", "the two passwords are not the same")])
            try:
                body = RegisterIn.model_validate({"username": name, "password": password})
            except ValidationError as exc:
                raise RecordError(ds.problems_of(exc)) from None
            user = await run_in_threadpool(auth.register, state, request, body)
        except RecordError as exc:
            return account_page(
                request, "register.html", 422, errors=form_errors(exc), values=values
            )
        except TwitchcheckError as exc:
            response = account_page(
                request,
                "register.html",
                status_of(exc),
                errors={"form": exc.message},
                values=values,
            )
            response.headers.update(retry_after_headers(exc))
            return response
        session = await run_in_threadpool(auth.start_session, state, user)
        response = RedirectResponse("/diary?saved=welcome", status_code=303)
        auth.set_session_cookie(response, state, session)
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout_form(request: Request) -> Response:
        found = await site.caller(request)
        if isinstance(found, Response):
            return found
        await run_in_threadpool(auth.end_session, site.state, found)
        response = RedirectResponse("/login?done=logout", status_code=303)
        auth.clear_session_cookie(response, site.state)
        return response
