"""The diary pages: ``/diary`` (forms, timeline, charts, re-triage).

Server-rendered with Jinja2 and plain HTML forms, so every page works without JavaScript; the
small ``diary.js`` only fills in the browser's local time. Forms post back and are answered with a
redirect (so a reload never stores an entry twice), or, when something is wrong, with the same
page showing each error next to its field (status 422) and nothing stored.

Who is asking is decided exactly as for the API (:class:`twitchcheck.interfaces.web.site.Site`):
the local user in single-user mode; in multi-user mode the session cookie, with the session's CSRF
token in a hidden ``csrf_token`` field of every form. Someone else's id is a 404 page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from twitchcheck.diary import analysis
from twitchcheck.diary import schemas as ds
from twitchcheck.domain import TriageLevel
from twitchcheck.errors import NotFoundError, RecordError
from twitchcheck.interfaces.rest.auth import Caller
from twitchcheck.interfaces.rest.paths import MAX_ID
from twitchcheck.interfaces.web.forms import (
    browser_zone,
    checkin_from_form,
    episode_from_form,
    form_errors,
    optional,
)
from twitchcheck.interfaces.web.site import Site

PageId = Annotated[int, Path(ge=1, le=MAX_ID)]
TIMELINE = 50

LEVEL_KICKER = {
    TriageLevel.EMERGENCY: "Emergency: act now",
    TriageLevel.URGENT: "Urgent: today",
    TriageLevel.SOON: "See a doctor soon",
    TriageLevel.ROUTINE: "See a doctor when you can",
    TriageLevel.SELF_CARE: "You can likely look after this yourself",
}
SIDES = (("unknown", "Not sure"), ("left", "Left"), ("right", "Right"), ("both", "Both sides"))
CHARTS = (
    ("episodes", "Episodes per day and per week"),
    ("duration_intensity", "How long and how strong"),
)


def page_context(site: Site, caller: Caller) -> dict[str, Any]:
    """What the diary page shows the caller."""
    store = site.state.store
    kb = store.kb
    user = caller.user
    checker = site.checker()
    findings = {f.id: f for f in kb.findings}
    labels = {f.id: f.label for f in kb.findings}
    episodes = store.list_episodes(user, limit=TIMELINE)
    checkins = list(reversed(store.list_checkins(user, limit=1000)))[:TIMELINE]
    trend = analysis.trends(store, user)
    trig = analysis.triggers(store, user)
    prog = analysis.progression(store, user, checker, record=False)
    now = dt.datetime.now().replace(second=0, microsecond=0)
    return site.common(caller) | {
        "profile": store.profile(user),
        "this_year": dt.date.today().year,
        "first_birth_year": ds.birth_years()[0],
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


def render(
    site: Site, request: Request, caller: Caller, status: int = 200, **extra: Any
) -> Response:
    """The diary page; ``extra`` overrides the context (errors and the values sent back)."""
    context = page_context(site, caller) | extra
    context["saved"] = request.query_params.get("saved")
    return site.templates.TemplateResponse(request, "diary.html", context, status_code=status)


def mount_diary_pages(app: FastAPI, site: Site) -> None:
    """Add the diary pages to ``app`` (the app's diary state must be set before a request)."""

    def redirect(saved: str, anchor: str) -> RedirectResponse:
        return RedirectResponse(f"/diary?saved={saved}#{anchor}", status_code=303)

    async def guarded(request: Request, work: Callable[..., Response], *args: Any) -> Response:
        """Run ``work(caller, form, *args)`` in a thread for a signed-in caller; map errors."""
        found = await site.caller(request)
        if isinstance(found, Response):
            return found
        form = await request.form()
        try:
            result: Response = await run_in_threadpool(work, request, found, form, *args)
            return result
        except NotFoundError:
            return site.error_page(
                request, 404, "Not found", "There is no such entry in your diary."
            )

    @app.get("/diary", response_class=HTMLResponse, include_in_schema=False)
    async def diary_page(request: Request) -> Response:
        found = await site.caller(request)
        if isinstance(found, Response):
            return found
        return await run_in_threadpool(render, site, request, found)

    def _profile(request: Request, caller: Caller, form: FormData) -> Response:
        data = {
            "birth_year": optional(form, "birth_year"),
            "sex": optional(form, "sex"),
            "time_zone": browser_zone(form),
        }
        try:
            profile = ds.ProfileIn.model_validate({k: v for k, v in data.items() if v})
        except ValidationError as exc:
            errors = form_errors(RecordError(ds.problems_of(exc)))
            return render(site, request, caller, 422, errors=errors, values=dict(form))
        site.state.store.set_profile(caller.user, profile)
        return redirect("profile", "profile")

    @app.post("/diary/profile", include_in_schema=False)
    async def profile_form(request: Request) -> Response:
        return await guarded(request, _profile)

    def _episode(request: Request, caller: Caller, form: FormData) -> Response:
        store = site.state.store
        try:
            entry = ds.parse_episode(episode_from_form(form))
            store.add_episode(caller.user, entry)
        except RecordError as exc:
            values: dict[str, Any] = dict(form)
            values["locations"] = form.getlist("locations")
            return render(site, request, caller, 422, errors=form_errors(exc), values=values)
        return redirect("episode", "timeline")

    @app.post("/diary/episodes", include_in_schema=False)
    async def episode_form(request: Request) -> Response:
        return await guarded(request, _episode)

    def _checkin(request: Request, caller: Caller, form: FormData) -> Response:
        store = site.state.store
        asked = [f.id for f in store.kb.findings if f.red_flag and f.category != "location"]
        try:
            entry = ds.parse_checkin(checkin_from_form(form, asked))
            store.add_checkin(caller.user, entry)
        except RecordError as exc:
            return render(site, request, caller, 422, errors=form_errors(exc), values=dict(form))
        return redirect("checkin", "progression")

    @app.post("/diary/checkins", include_in_schema=False)
    async def checkin_form(request: Request) -> Response:
        return await guarded(request, _checkin)

    def _delete_episode(
        request: Request, caller: Caller, form: FormData, episode_id: int
    ) -> Response:
        site.state.store.delete_episode(caller.user, episode_id)
        return redirect("deleted", "timeline")

    @app.post("/diary/episodes/{episode_id}/delete", include_in_schema=False)
    async def delete_episode_form(request: Request, episode_id: PageId) -> Response:
        return await guarded(request, _delete_episode, episode_id)

    def _delete_checkin(
        request: Request, caller: Caller, form: FormData, checkin_id: int
    ) -> Response:
        site.state.store.delete_checkin(caller.user, checkin_id)
        return redirect("deleted", "timeline")

    @app.post("/diary/checkins/{checkin_id}/delete", include_in_schema=False)
    async def delete_checkin_form(request: Request, checkin_id: PageId) -> Response:
        return await guarded(request, _delete_checkin, checkin_id)

    def _progression(request: Request, caller: Caller, form: FormData) -> Response:
        analysis.progression(site.state.store, caller.user, site.checker(), record=True)
        return redirect("progression", "progression")

    @app.post("/diary/progression", include_in_schema=False)
    async def progression_form(request: Request) -> Response:
        return await guarded(request, _progression)

    def _delete_all(request: Request, caller: Caller, form: FormData) -> Response:
        if form.get("confirm") != "yes":
            errors = {"confirm": "Tick the box to confirm that everything should be deleted."}
            return render(site, request, caller, 422, errors=errors, values={})
        site.state.store.delete_all(caller.user)
        return redirect("all-deleted", "main")

    @app.post("/diary/delete-all", include_in_schema=False)
    async def delete_all_form(request: Request) -> Response:
        return await guarded(request, _delete_all)
