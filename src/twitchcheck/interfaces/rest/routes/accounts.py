"""Accounts over HTTP (multi-user mode): ``/api/v1/auth/...``. In single-user mode each is a 403
but ``me``, which names the local user."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from twitchcheck.interfaces.rest import auth
from twitchcheck.interfaces.rest.deps import CallerDep, StateDep
from twitchcheck.interfaces.rest.paths import AUTH_API
from twitchcheck.interfaces.rest.schemas import (
    AccountDeleted,
    LoginIn,
    MePublic,
    RegisterIn,
    SessionPublic,
)

router = APIRouter(prefix=AUTH_API, tags=["accounts"])


@router.post("/register", response_model=SessionPublic, status_code=201)
def register_route(
    body: RegisterIn, request: Request, response: Response, state: StateDep
) -> SessionPublic:
    """Create an account and sign in (sets the session cookie; returns the token too)."""
    auth.need_multi_user(state)
    auth.refuse_cross_site(request)
    user = auth.register(state, request, body)
    session = auth.start_session(state, user)
    auth.set_session_cookie(response, state, session)
    return session


@router.post("/login", response_model=SessionPublic)
def login_route(
    body: LoginIn, request: Request, response: Response, state: StateDep
) -> SessionPublic:
    """Sign in. A wrong name and a wrong password get the same 401."""
    auth.need_multi_user(state)
    auth.refuse_cross_site(request)
    user = auth.verify_login(state, request, body)
    session = auth.start_session(state, user)
    auth.set_session_cookie(response, state, session)
    return session


@router.post("/logout", status_code=204)
def logout_route(caller: CallerDep, state: StateDep) -> Response:
    """End this session (the cookie is cleared)."""
    auth.need_multi_user(state)
    auth.end_session(state, caller)
    response = Response(status_code=204)
    auth.clear_session_cookie(response, state)
    return response


@router.get("/me", response_model=MePublic)
def me_route(caller: CallerDep, state: StateDep) -> MePublic:
    return MePublic(
        username=caller.user.username,
        multi_user=state.settings.multi_user,
        csrf_token=caller.csrf_token if caller.via == "cookie" else None,
    )


@router.delete("/account", response_model=AccountDeleted)
def delete_account_route(caller: CallerDep, state: StateDep, response: Response) -> Any:
    """Delete the account with all its diary data. This cannot be undone."""
    auth.need_multi_user(state)
    report = state.accounts.delete_account(caller.user)
    auth.clear_session_cookie(response, state)
    return AccountDeleted(username=caller.user.username, **report.model_dump())
