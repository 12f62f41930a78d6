"""The FastAPI application: REST API under /api/v1, problem+json errors, security basics.

Nothing here holds health data beyond one request: answers travel in POST bodies only, nothing
is logged but method, path and status, and results are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar

import orjson
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twitchcheck import results as r
from twitchcheck.api import Checker, Data, default_checker, evidence_sets
from twitchcheck.domain import Sex
from twitchcheck.engine.inference import has_kernel
from twitchcheck.errors import NotFoundError, TwitchcheckError, UnknownIdError
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.interfaces.web import mount_web

if TYPE_CHECKING:
    from twitchcheck.diary.service import DiaryStore

log = logging.getLogger("twitchcheck.rest")

PROBLEM = "application/problem+json"
API = "/api/v1"
#: Pages that show diary data or sign-in forms: never cached either.
PERSONAL_PAGES = ("/diary", "/login", "/register", "/logout")


# -- schemas: In (requests) are strict; Public (responses) are the results models ------------
def _whole_number(value: object) -> object:
    """JSON integers only: no booleans, no strings; 30.0 counts (JSON Schema says so)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number")
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


#: Bodies with at most this many "yes" answers are answered on the event loop: with the compiled
#: engine that takes about a millisecond (shipped KB: ~1-2 ms up to 6 present findings). More
#: can take up to a second (19-20 present findings that share most causes), so those bodies go
#: to the thread pool, where they never stall other requests.
INLINE_MAX_YES = 6


class AssessIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "age": 30,
                    "sex": "female",
                    "evidence": [
                        {"id": "twitch_nose", "choice": "present", "initial": True},
                        {"id": "muscle_weakness", "choice": "absent"},
                    ],
                }
            ]
        },
    )

    age: WholeNumber = Field(ge=0, le=120, description="Age in whole years.")
    sex: Sex
    evidence: list[r.EvidenceItem] = Field(default_factory=list, max_length=300)
    concerns: list[str] = Field(default_factory=list, max_length=5, description="e.g. ['als']")

    def run(self, checker: Checker) -> r.Assessment:
        """The assessment this body asks for (the diary's stored assessments)."""
        return r.Assessment.model_validate(self.run_data(checker))

    def run_data(self, checker: Checker) -> Data:
        """The same assessment as plain JSON data (POST /assess sends it as it is)."""
        present, absent, _unknown, initial = evidence_sets(self.evidence)
        req = checker.request(
            age=self.age,
            sex=self.sex,
            present=present,
            absent=absent,
            initial=initial,
            concerns=self.concerns,
        )
        return checker.assessment_data(req)

    def answers_quickly(self) -> bool:
        """Whether this body is cheap enough to answer on the event loop (see INLINE_MAX_YES)."""
        if not has_kernel():
            return False
        return sum(1 for item in self.evidence if item.choice == "present") <= INLINE_MAX_YES


class InterviewIn(AssessIn):
    max_questions: WholeNumber = Field(default=15, ge=1, le=60)


Body = TypeVar("Body", bound=BaseModel)


async def read_body(request: Request, model: type[Body]) -> Body:
    """The request body as ``model``, parsed and validated from the bytes in one pass by
    pydantic (FastAPI decodes the JSON first, then validates: ~0.1 ms more per assessment).
    Errors are FastAPI's own 422 problems, located in the body as FastAPI would."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


Answer = TypeVar("Answer")


async def answer_for(body: AssessIn, work: Callable[[], Answer]) -> Answer:
    """``work()`` right on the event loop when ``body`` answers quickly (a hand-off to the thread
    pool costs more than a whole quick assessment), else in the thread pool."""
    return work() if body.answers_quickly() else await run_in_threadpool(work)


def body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads ``model`` with :func:`read_body` (the
    schema itself is added to the document's components by _openapi_with_problems)."""
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    suggestions: list[str] = Field(default_factory=list)


class KbCause(BaseModel):
    id: str
    name: str
    description: str
    category: str
    urgency: str
    sources: list[str]


class KbFinding(BaseModel):
    id: str
    label: str
    question: str
    category: str
    red_flag: bool


def _problem(
    status: int, title: str, detail: str, code: str, suggestions: list[str] | None = None
) -> JSONResponse:
    body = Problem(
        type=f"https://twitchcheck.example/problems/{code}",
        title=title,
        status=status,
        detail=detail,
        code=code,
        suggestions=suggestions or [],
    )
    return JSONResponse(body.model_dump(), status_code=status, media_type=PROBLEM)


# -- middleware (pure ASGI, so the body limit applies before anything reads the body) ------------
class SecurityHeaders:
    """CSP without inline script, no sniffing, no referrer, no caching of anything personal."""

    HEADERS: ClassVar[dict[bytes, bytes]] = {
        b"content-security-policy": (
            b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            b"form-action 'self'"
        ),
        b"x-content-type-options": b"nosniff",
        b"referrer-policy": b"no-referrer",
        b"x-frame-options": b"DENY",
        b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
        b"cross-origin-opener-policy": b"same-origin",
    }

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in self.HEADERS
                ]
                headers += list(self.HEADERS.items())
                if path.startswith((API, *PERSONAL_PAGES)) or path == "/":
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse bodies over ``limit`` bytes with a 413 problem, declared or streamed.

    ``uploads`` names paths that take files (the diary's CSV import) with their own, larger limit.
    """

    def __init__(self, app: ASGIApp, limit: int, uploads: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.uploads = uploads or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.uploads.get(scope.get("path", ""), self.limit)
        if limit != self.limit:
            await BodyLimit(self.app, limit)(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        too_big = False

        async def limited_receive() -> Message:
            nonlocal seen, too_big
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    too_big = True
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = _problem(
            413, "Request too large", f"Request bodies are limited to {self.limit} bytes.", "E413"
        )
        await response(scope, receive, send)


class AccessLog:
    """Method, path and status only: never the query string or the body (health data)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 0

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, send_and_note)
        log.info("%s %s %s", scope.get("method"), scope.get("path"), status)


class _BodyTooLarge(Exception):
    pass


class RateLimit:
    """A token bucket per client address: ``per_minute`` requests, refilled continuously."""

    def __init__(self, app: ASGIApp, per_minute: int, trust_forwarded_for: bool) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.trust = trust_forwarded_for
        self.buckets: dict[str, tuple[float, float]] = {}

    def _client(self, scope: Scope) -> str:
        if self.trust:
            forwarded: bytes | None = dict(scope.get("headers", [])).get(b"x-forwarded-for")
            if forwarded:
                return forwarded.split(b",")[0].strip().decode("latin-1")
        client = scope.get("client")
        return str(client[0]) if client else "unknown"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(API):
            await self.app(scope, receive, send)
            return
        now = time.monotonic()
        key = self._client(scope)
        tokens, last = self.buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self.buckets[key] = (tokens, now)
            retry = max(1, int((1.0 - tokens) / self.rate) + 1)
            response = _problem(
                429, "Too many requests", f"Please wait {retry} s and try again.", "E429"
            )
            response.headers["Retry-After"] = str(retry)
            await response(scope, receive, send)
            return
        self.buckets[key] = (tokens - 1.0, now)
        if len(self.buckets) > 10_000:  # forget idle clients so memory stays bounded
            cutoff = now - 120
            self.buckets = {k: v for k, v in self.buckets.items() if v[1] >= cutoff}
        await self.app(scope, receive, send)


# -- the OpenAPI document: every error is a Problem ----------------------------------------------
def _openapi_with_problems(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with each error status declared as application/problem+json with the
    Problem schema, and the statuses the middleware and parser can add (400, 404, 413, 429)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, AssessIn, InterviewIn):  # Problem: errors; the others: read_body
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, nested in model_schema.pop("$defs", {}).items():
            schemas.setdefault(name, nested)
        schemas.setdefault(model.__name__, model_schema)
    problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    texts = {
        "400": "The body could not be read (not UTF-8 text)",
        "404": "No such item",
        "401": "Not signed in, or the session has expired",
        "403": "Refused: a missing CSRF token, or a request from another website",
        "413": "Request too large",
        "422": "Invalid request (unknown id, contradiction, value out of range)",
        "429": "Too many requests",
    }
    _wall_clock_times(schemas)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            codes = ["422"]
            if path.startswith(API):
                codes.append("429")
            if path.startswith((f"{API}/diary", f"{API}/auth")):
                codes += ["401", "403"]
            if method == "post":
                codes += ["400", "413"]
            if "{" in path:
                codes.append("404")
            for code in codes:
                responses.setdefault(code, {"description": texts[code]})
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    response["content"] = dict(problem)
    app.openapi_schema = schema
    return schema


#: ISO 8601 date and time; the offset is optional (see _wall_clock_times).
LOCAL_DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"


def _wall_clock_times(schemas: dict[str, Any]) -> None:
    """The diary keeps the person's wall-clock times, sent without an offset; JSON Schema's
    ``date-time`` format (RFC 3339) requires one, so such fields are declared by a pattern."""
    for model in schemas.values():
        for prop in (model.get("properties") or {}).values():
            for option in [prop, *prop.get("anyOf", [])]:
                if option.get("format") == "date-time":
                    del option["format"]
                    option["pattern"] = LOCAL_DATE_TIME
                    option.setdefault("description", "ISO 8601 date and time (local time).")


# -- the app ----------------------------------------------------------------------------------
_INTERVIEW_STEP = TypeAdapter(r.InterviewStep)


def app_checker(app: FastAPI) -> Checker:
    """The checker ``app`` was created with, else the shipped KB's (built once)."""
    checker: Checker | None = getattr(app.state, "checker", None)
    return checker if checker is not None else default_checker()


async def get_checker(request: Request) -> Checker:
    """:func:`app_checker` as a dependency. Async, so that FastAPI does not send this trivial
    look-up to a worker thread on every request (a sync dependency costs a thread hop, ~0.3 ms:
    more than an assessment's engine work)."""
    return app_checker(request.app)


CheckerDep = Annotated[Checker, Depends(get_checker)]


def create_app(
    settings: Settings | None = None,
    checker: Checker | None = None,
    store: DiaryStore | None = None,
) -> FastAPI:
    """The app. ``store``: the diary store to use (tests pass one); by default the database of
    ``settings.database_url`` is opened and migrated on the first diary request."""
    from twitchcheck.interfaces.rest import auth, diary
    from twitchcheck.interfaces.web.diary_routes import mount_diary_pages

    settings = settings or Settings()
    app = FastAPI(
        title="twitchcheck",
        version="1",
        description=(
            "Why does my nose twitch? Ranked causes with exact probabilities, triage and cited advice. "
            "Decision support, not a diagnosis. Answers travel in POST bodies only."
        ),
    )
    app.openapi = lambda: _openapi_with_problems(app)  # type: ignore[method-assign]
    app.state.checker = checker  # None: the shipped KB's (see get_checker)

    @app.exception_handler(TwitchcheckError)
    async def _domain_error(_: Request, exc: TwitchcheckError) -> JSONResponse:
        suggestions = exc.suggestions if isinstance(exc, UnknownIdError) else []
        status = exc.http_status if exc.http_status < 500 else 500
        response = _problem(status, type(exc).__name__, exc.message, exc.code, suggestions)
        response.headers.update(auth.too_many_headers(exc))  # Retry-After on a 429
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{where or 'body'}: {err.get('msg')}")
        return _problem(422, "Invalid request", "; ".join(parts)[:2000], "E422")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = _problem(exc.status_code, "HTTP error", str(exc.detail), f"E{exc.status_code}")
        for name, value in (exc.headers or {}).items():  # e.g. Allow on a 405
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:  # a bug: never leak a trace
        log.error("internal error: %s", type(exc).__name__)
        return _problem(500, "Internal error", "Something went wrong on our side.", "E500")

    app.add_middleware(AccessLog)

    @app.get("/healthz", tags=["service"])
    def healthz(checker: CheckerDep) -> dict[str, str]:
        return {"status": "ok", "kb_version": checker.kb.version}

    @app.get("/hello", tags=["service"], include_in_schema=False)
    async def hello() -> dict[str, str]:
        """A plain route for load-test comparison. Async, as FastAPI's own hello world: a plain
        ``def`` route runs in the thread pool, which cost ~0.27 ms more per request and made
        every route's ratio to this one look about twice as good as it is."""
        return {"hello": "world"}

    # Results are built by the engine's own code, so they are not validated again against
    # response_model (which documents the shape; schemathesis checks every answer against it).
    # An assessment is sent as the plain data the Checker builds, serialised by orjson: the same
    # JSON as r.Assessment's (tested), at about half the cost of validating ~150 objects into
    # models and serialising those. An interview step is small: its model's dump_json is used.
    # Async routes: a quick body is answered right on the event loop, a larger one in the
    # thread pool (answer_for). These two hot routes read the checker from the app instead of
    # through CheckerDep: FastAPI's dependency resolution cost ~50 us per request, 6% of an
    # assessment.
    @app.post(
        f"{API}/assess",
        response_model=r.Assessment,
        tags=["assess"],
        openapi_extra=body_doc(AssessIn),
    )
    async def assess(request: Request) -> Response:
        """Rank every cause and triage the evidence. Stateless and deterministic."""
        body = await read_body(request, AssessIn)
        checker = app_checker(request.app)
        result = await answer_for(body, lambda: body.run_data(checker))
        return Response(orjson.dumps(result), media_type="application/json")

    @app.post(
        f"{API}/interview/next",
        response_model=r.InterviewStep,
        tags=["interview"],
        openapi_extra=body_doc(InterviewIn),
    )
    async def interview_next(request: Request) -> Response:
        """The next most useful question (with its rationale), or whether to stop."""
        body = await read_body(request, InterviewIn)
        checker = app_checker(request.app)

        def step() -> r.InterviewStep:
            return checker.next_question(
                age=body.age, sex=body.sex, evidence=body.evidence, max_questions=body.max_questions
            )

        result = await answer_for(body, step)
        return Response(_INTERVIEW_STEP.dump_json(result), media_type="application/json")

    @app.get(f"{API}/kb/causes", response_model=list[KbCause], tags=["knowledge base"])
    def kb_causes(checker: CheckerDep) -> list[dict[str, Any]]:
        return [
            c.model_dump(include=set(KbCause.model_fields)) | {"sources": list(c.sources)}
            for c in checker.kb.causes
        ]

    @app.get(f"{API}/kb/causes/{{cause_id}}", tags=["knowledge base"])
    def kb_cause(cause_id: str, checker: CheckerDep) -> dict[str, Any]:
        if cause_id not in checker.kb.cause_index:
            raise NotFoundError("cause", cause_id, checker.kb.cause_index)
        return checker.kb.cause(cause_id).model_dump(mode="json")

    @app.get(f"{API}/kb/findings", response_model=list[KbFinding], tags=["knowledge base"])
    def kb_findings(checker: CheckerDep) -> list[dict[str, Any]]:
        return [f.model_dump(include=set(KbFinding.model_fields)) for f in checker.kb.findings]

    @app.get(f"{API}/kb/sources", tags=["knowledge base"])
    def kb_sources(checker: CheckerDep) -> list[dict[str, Any]]:
        return [s.model_dump(mode="json") for s in checker.kb.sources.values()]

    @app.get(f"{API}/kb/anatomy", tags=["knowledge base"])
    def kb_anatomy(checker: CheckerDep) -> list[dict[str, Any]]:
        return [m.model_dump(mode="json") for m in checker.kb.anatomy]

    # The diary: the store (see auth.DiaryState), accounts, the API and its pages.
    app.state.diary = auth.DiaryState(settings, lambda: app_checker(app).kb, store=store)
    app.include_router(auth.router)
    app.include_router(diary.router)
    mount_diary_pages(app)

    # The last added is the outermost: headers go on every answer, 413 and 429 included.
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        # The import takes whole CSV files; its route checks the file's own size too.
        uploads={
            f"{API}/diary/import": max(settings.max_body_bytes, diary.MAX_IMPORT_BYTES + (1 << 20))
        },
    )
    app.add_middleware(
        RateLimit,
        per_minute=settings.rate_limit_per_minute,
        trust_forwarded_for=settings.trust_forwarded_for,
    )
    app.add_middleware(SecurityHeaders)
    mount_web(app)
    return app
