"""The diary pages: ``/diary`` (forms, timeline, charts, re-triage), ``/login``, ``/register``.

Server-rendered with Jinja2 and plain HTML forms, so every page works without JavaScript; the
small ``diary.js`` only fills in the browser's local time. Forms post back and are answered with a
redirect (so a reload never stores an entry twice), or, when something is wrong, with the same
page showing each error next to its field (status 422) and nothing stored.

Who is asking is decided exactly as for the API (:func:`twitchcheck.interfaces.rest.auth.identify`):
the local user in single-user mode; in multi-user mode the session cookie, with the session's CSRF
token in a hidden ``csrf_token`` field of every form. Someone else's id is a 404 page.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import FastAPI, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import FormData

from twitchcheck import __version__
from twitchcheck.diary import analysis
from twitchcheck.diary import schemas as ds
from twitchcheck.errors import (
    AuthError,
    ForbiddenError,
    NotFoundError,
    RecordError,
    TooManyAttemptsError,
    TwitchcheckError,
)
from twitchcheck.interfaces.rest import auth
from twitchcheck.interfaces.web.routes import _folder

MAX_ID = 2**31 - 1
PageId = Annotated[int, Path(ge=1, le=MAX_ID)]
TIMELINE = 50

LEVEL_KICKER = {
    "emergency": "Emergency: act now",
    "urgent": "Urgent: today",
    "soon": "See a doctor soon",
    "routine": "See a doctor when you can",
    "self_care": "You can likely look after this yourself",
}
SIDES = (("unknown", "Not sure"), ("left", "Left"), ("right", "Right"), ("both", "Both sides"))
CHARTS = (
    ("episodes", "Episodes per day and per week"),
    ("duration_intensity", "How long and how strong"),
)


def _templates() -> Jinja2Templates:
    return Jinja2Templates(directory=str(_folder("templates")))


def _form_errors(exc: RecordError) -> dict[str, str]:
    """Field name -> message, for showing each error next to its field."""
    out: dict[str, str] = {}
    for where, msg in exc.problems:
        key = where.split(".")[0] or "form"
        out.setdefault(key, msg)
    return out


def _optional(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def episode_from_form(form: FormData) -> dict[str, Any]:
    data: dict[str, Any] = {
        "occurred_at": _optional(form, "occurred_at"),
        "locations": [v for v in form.getlist("locations") if isinstance(v, str)],
        "side": _optional(form, "side") or "unknown",
        "duration_seconds": _optional(form, "duration_seconds"),
    }
    for name in ("intensity", "caffeine_cups", "sleep_hours", "stress", "alcohol_units", "note"):
        if (value := _optional(form, name)) is not None:
            data[name] = value
    if (exercise := _yes_no(_optional(form, "exercise"))) is not None:
        data["exercise"] = exercise
    medicines = _optional(form, "medicines")
    if medicines:
        data["medicines"] = [m.strip() for m in medicines.split(",") if m.strip()]
    if form.get("medicine_changed") == "yes":
        data["medicine_changed"] = True
    # A required field left empty is reported as missing, naming it.
    return {k: v for k, v in data.items() if v is not None}


def checkin_from_form(form: FormData, asked: list[str]) -> dict[str, Any]:
    answers: dict[str, bool] = {}
    for finding in asked:
        answer = _yes_no(_optional(form, f"answer_{finding}"))
        if answer is not None:
            answers[finding] = answer
    data: dict[str, Any] = {"on_date": _optional(form, "on_date"), "answers": answers}
    for name in ("caffeine_cups", "sleep_hours", "stress", "note"):
        if (value := _optional(form, name)) is not None:
            data[name] = value
    return {k: v for k, v in data.items() if v is not None}


class Pages:
    """The page handlers, sharing the templates and the app's diary state."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.templates = _templates()

    @property
    def state(self) -> auth.DiaryState:
        state: auth.DiaryState = self.app.state.diary
        return state

    # -- who is asking --------------------------------------------------------------------
    async def caller(self, request: Request) -> auth.Caller | Response:
        """The caller, or the response to send instead (sign-in page, 403 page); audited."""
        try:
            caller = await auth.identify(request, self.state)
        except ForbiddenError as exc:
            await run_in_threadpool(auth.refuse, self.state, request, "anonymous", 403)
            return self.error_page(request, 403, "Refused", exc.message)
        if caller is None:
            await run_in_threadpool(auth.refuse, self.state, request, "anonymous", 401)
            return RedirectResponse("/login", status_code=303)
        return caller

    def error_page(self, request: Request, status: int, title: str, message: str) -> Response:
        return self.templates.TemplateResponse(
            request,
            "diary_error.html",
            self.common(None) | {"title": title, "message": message},
            status_code=status,
        )

    def common(self, caller: auth.Caller | None) -> dict[str, Any]:
        return {
            "version": __version__,
            "multi_user": self.state.settings.multi_user,
            "username": caller.user.username if caller else None,
            "csrf_token": caller.csrf_token if caller else None,
        }

    # -- the diary page -------------------------------------------------------------------
    def page_context(self, caller: auth.Caller) -> dict[str, Any]:
        store = self.state.store
        kb = store.kb
        user = caller.user
        checker = self._checker()
        findings = {f.id: f for f in kb.findings}
        labels = {f.id: f.label for f in kb.findings}
        episodes = store.list_episodes(user, limit=TIMELINE)
        checkins = list(reversed(store.list_checkins(user, limit=1000)))[:TIMELINE]
        trend = analysis.trends(store, user)
        trig = analysis.triggers(store, user)
        prog = analysis.progression(store, user, checker, record=False)
        now = dt.datetime.now().replace(second=0, microsecond=0)
        return self.common(caller) | {
            "profile": store.profile(user),
            "this_year": dt.date.today().year,
            "locations": [findings[i] for i in store.location_ids],
            "red_flags": [f for f in kb.findings if f.red_flag and f.category != "location"],
            "sides": SIDES,
            "labels": labels,
            "episodes": episodes,
            "checkins": checkins,
            "trend": trend,
            "triggers": trig,
            "progression": prog,
            "kicker": LEVEL_KICKER,
            "charts": CHARTS,
            "default_when": now.isoformat(timespec="minutes"),
            "today": dt.date.today().isoformat(),
            "errors": {},
            "values": {},
        }

    def _checker(self) -> Any:
        from twitchcheck.interfaces.rest.app import app_checker

        return app_checker(self.app)

    def render(
        self, request: Request, caller: auth.Caller, status: int = 200, **extra: Any
    ) -> Response:
        context = self.page_context(caller) | extra
        context["saved"] = request.query_params.get("saved")
        return self.templates.TemplateResponse(request, "diary.html", context, status_code=status)


def mount_diary_pages(app: FastAPI) -> None:
    """Add the diary pages to ``app`` (the app's ``state.diary`` must be set before a request)."""
    pages = Pages(app)

    def redirect(saved: str, anchor: str) -> RedirectResponse:
        return RedirectResponse(f"/diary?saved={saved}#{anchor}", status_code=303)

    async def guarded(request: Request, work: Any, *args: Any) -> Response:
        """Run ``work(caller, form, *args)`` in a thread for a signed-in caller; map errors."""
        found = await pages.caller(request)
        if isinstance(found, Response):
            return found
        form = await request.form()
        try:
            result: Response = await run_in_threadpool(work, request, found, form, *args)
            return result
        except NotFoundError:
            return pages.error_page(
                request, 404, "Not found", "There is no such entry in your diary."
            )

    @app.get("/diary", response_class=HTMLResponse, include_in_schema=False)
    async def diary_page(request: Request) -> Response:
        found = await pages.caller(request)
        if isinstance(found, Response):
            return found
        return await run_in_threadpool(pages.render, request, found)

    def _profile(request: Request, caller: auth.Caller, form: FormData) -> Response:
        data = {"birth_year": _optional(form, "birth_year"), "sex": _optional(form, "sex")}
        try:
            profile = ds.ProfileIn.model_validate({k: v for k, v in data.items() if v})
        except ValidationError as exc:
            errors = _form_errors(RecordError(ds.problems_of(exc)))
            return pages.render(request, caller, 422, errors=errors, values=dict(form))
        pages.state.store.set_profile(caller.user, profile)
        return redirect("profile", "profile")

    @app.post("/diary/profile", include_in_schema=False)
    async def profile_form(request: Request) -> Response:
        return await guarded(request, _profile)

    def _episode(request: Request, caller: auth.Caller, form: FormData) -> Response:
        store = pages.state.store
        try:
            entry = ds.parse_episode(episode_from_form(form))
            store.add_episode(caller.user, entry)
        except RecordError as exc:
            values: dict[str, Any] = dict(form)
            values["locations"] = form.getlist("locations")
            return pages.render(request, caller, 422, errors=_form_errors(exc), values=values)
        return redirect("episode", "timeline")

    @app.post("/diary/episodes", include_in_schema=False)
    async def episode_form(request: Request) -> Response:
        return await guarded(request, _episode)

    def _checkin(request: Request, caller: auth.Caller, form: FormData) -> Response:
        store = pages.state.store
        asked = [f.id for f in store.kb.findings if f.red_flag and f.category != "location"]
        try:
            entry = ds.parse_checkin(checkin_from_form(form, asked))
            store.add_checkin(caller.user, entry)
        except RecordError as exc:
            return pages.render(request, caller, 422, errors=_form_errors(exc), values=dict(form))
        return redirect("checkin", "progression")

    @app.post("/diary/checkins", include_in_schema=False)
    async def checkin_form(request: Request) -> Response:
        return await guarded(request, _checkin)

    def _delete_episode(
        request: Request, caller: auth.Caller, form: FormData, episode_id: int
    ) -> Response:
        pages.state.store.delete_episode(caller.user, episode_id)
        return redirect("deleted", "timeline")

    @app.post("/diary/episodes/{episode_id}/delete", include_in_schema=False)
    async def delete_episode_form(request: Request, episode_id: PageId) -> Response:
        return await guarded(request, _delete_episode, episode_id)

    def _delete_checkin(
        request: Request, caller: auth.Caller, form: FormData, checkin_id: int
    ) -> Response:
        pages.state.store.delete_checkin(caller.user, checkin_id)
        return redirect("deleted", "timeline")

    @app.post("/diary/checkins/{checkin_id}/delete", include_in_schema=False)
    async def delete_checkin_form(request: Request, checkin_id: PageId) -> Response:
        return await guarded(request, _delete_checkin, checkin_id)

    def _progression(request: Request, caller: auth.Caller, form: FormData) -> Response:
        analysis.progression(pages.state.store, caller.user, pages._checker(), record=True)
        return redirect("progression", "progression")

    @app.post("/diary/progression", include_in_schema=False)
    async def progression_form(request: Request) -> Response:
        return await guarded(request, _progression)

    def _delete_all(request: Request, caller: auth.Caller, form: FormData) -> Response:
        if form.get("confirm") != "yes":
            errors = {"confirm": "Tick the box to confirm that everything should be deleted."}
            return pages.render(request, caller, 422, errors=errors, values={})
        pages.state.store.delete_all(caller.user)
        return redirect("all-deleted", "main")

    @app.post("/diary/delete-all", include_in_schema=False)
    async def delete_all_form(request: Request) -> Response:
        return await guarded(request, _delete_all)

    # -- accounts ---------------------------------------------------------------------------
    def account_page(request: Request, name: str, status: int = 200, **extra: Any) -> Response:
        context = pages.common(None) | {"errors": {}, "values": {}} | extra
        return pages.templates.TemplateResponse(request, name, context, status_code=status)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    async def login_page(request: Request) -> Response:
        if not pages.state.settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        return account_page(request, "login.html", done=request.query_params.get("done"))

    @app.post("/login", include_in_schema=False)
    async def login_form(request: Request) -> Response:
        state = pages.state
        if not state.settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        form = await request.form()
        name = _optional(form, "username") or ""
        try:
            if auth._cross_site(request):
                raise ForbiddenError("Requests from other websites are not accepted.")
            body = auth.LoginIn.model_validate(
                {"username": name, "password": form.get("password") or ""}
            )
            user = await run_in_threadpool(auth.verify_login, state, request, body)
        except ValidationError:
            errors = {"form": "Please enter your user name and your password."}
            return account_page(
                request, "login.html", 422, errors=errors, values={"username": name}
            )
        except (AuthError, ForbiddenError) as exc:
            status = 403 if isinstance(exc, ForbiddenError) else 401
            errors = {"form": exc.message}
            return account_page(
                request, "login.html", status, errors=errors, values={"username": name}
            )
        except TooManyAttemptsError as exc:
            response = account_page(
                request, "login.html", 429, errors={"form": exc.message}, values={"username": name}
            )
            response.headers.update(auth.too_many_headers(exc))
            return response
        session = await run_in_threadpool(auth.start_session, state, user)
        response = RedirectResponse("/diary", status_code=303)
        auth.set_session_cookie(response, state, session)
        return response

    @app.get("/register", response_class=HTMLResponse, include_in_schema=False)
    async def register_page(request: Request) -> Response:
        if not pages.state.settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        return account_page(request, "register.html")

    @app.post("/register", include_in_schema=False)
    async def register_form(request: Request) -> Response:
        state = pages.state
        if not state.settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        form = await request.form()
        name = _optional(form, "username") or ""
        values = {"username": name}
        try:
            if auth._cross_site(request):
                raise ForbiddenError("Requests from other websites are not accepted.")
            password = form.get("password") or ""
            if password != (form.get("password_again") or ""):
                raise RecordError([("password_again", "the two passwords are not the same")])
            try:
                body = auth.RegisterIn.model_validate({"username": name, "password": password})
            except ValidationError as exc:
                raise RecordError(ds.problems_of(exc)) from None
            address = f"register:{auth.client_address(request, state.settings)}"
            if wait := state.limiter.retry_after(address):
                raise auth._too_many(wait)
            state.limiter.note_failure(address)
            user = await run_in_threadpool(auth.register, state, body)
        except RecordError as exc:
            return account_page(
                request, "register.html", 422, errors=_form_errors(exc), values=values
            )
        except TwitchcheckError as exc:
            status = exc.http_status if exc.http_status < 500 else 500
            response = account_page(
                request, "register.html", status, errors={"form": exc.message}, values=values
            )
            response.headers.update(auth.too_many_headers(exc))
            return response
        session = await run_in_threadpool(auth.start_session, state, user)
        response = RedirectResponse("/diary?saved=welcome", status_code=303)
        auth.set_session_cookie(response, state, session)
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout_form(request: Request) -> Response:
        found = await pages.caller(request)
        if isinstance(found, Response):
            return found
        await run_in_threadpool(auth.end_session, pages.state, found)
        response = RedirectResponse("/login?done=logout", status_code=303)
        auth.clear_session_cookie(response, pages.state)
        return response
