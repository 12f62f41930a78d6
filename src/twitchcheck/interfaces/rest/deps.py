"""What routes receive through FastAPI's dependencies: the checker, the diary's store, the caller.

The look-ups that run on every request are async: a sync dependency is sent to a worker thread
by FastAPI, a hop that costs more than the look-up itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool

from twitchcheck.api import Checker, default_checker
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.errors import AuthError, ForbiddenError
from twitchcheck.interfaces.rest.auth import Caller, identify, refuse
from twitchcheck.interfaces.rest.state import DiaryState


def app_checker(app: FastAPI) -> Checker:
    """The checker ``app`` was created with, else the shipped KB's (built once)."""
    checker: Checker | None = getattr(app.state, "checker", None)
    return checker if checker is not None else default_checker()


async def get_checker(request: Request) -> Checker:
    """:func:`app_checker` as a dependency (async: no thread hop on every request)."""
    return app_checker(request.app)


CheckerDep = Annotated[Checker, Depends(get_checker)]


def app_diary(app: FastAPI) -> DiaryState:
    """The diary of ``app`` (set by create_app)."""
    state: DiaryState = app.state.diary
    return state


def diary_state(request: Request) -> DiaryState:
    return app_diary(request.app)


def get_store(request: Request) -> DiaryStore:
    """The app's store (sync: the first call may open and migrate the database)."""
    return diary_state(request).store


StateDep = Annotated[DiaryState, Depends(diary_state)]
StoreDep = Annotated[DiaryStore, Depends(get_store)]


async def require_caller(request: Request, state: StateDep) -> Caller:
    """The signed-in caller; 401 when not signed in, 403 on a failed CSRF check (both audited)."""
    try:
        caller = await identify(request, state)
    except ForbiddenError:
        await run_in_threadpool(refuse, state, request, "anonymous", 403)
        raise
    if caller is None:
        await run_in_threadpool(refuse, state, request, "anonymous", 401)
        raise AuthError("Please sign in first (your session may have expired).")
    return caller


CallerDep = Annotated[Caller, Depends(require_caller)]


async def current_user(caller: CallerDep) -> UserRef:
    return caller.user


UserDep = Annotated[UserRef, Depends(current_user)]
