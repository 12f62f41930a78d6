"""The knowledge base, read-only: causes, findings, sources and the anatomy."""

from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import FastAPI

from twitchcheck.errors import NotFoundError
from twitchcheck.interfaces.rest.deps import CheckerDep
from twitchcheck.interfaces.rest.paths import API
from twitchcheck.interfaces.rest.schemas import KbCause, KbFinding


def kb_causes(checker: CheckerDep) -> list[dict[str, Any]]:
    return [
        c.model_dump(include=set(KbCause.model_fields)) | {"sources": list(c.sources)}
        for c in checker.kb.causes
    ]


def kb_cause(cause_id: str, checker: CheckerDep) -> dict[str, Any]:
    if cause_id not in checker.kb.cause_index:
        raise NotFoundError("cause", cause_id, checker.kb.cause_index)
    return checker.kb.cause(cause_id).model_dump(mode="json")


def kb_findings(checker: CheckerDep) -> list[dict[str, Any]]:
    return [f.model_dump(include=set(KbFinding.model_fields)) for f in checker.kb.findings]


def kb_sources(checker: CheckerDep) -> list[dict[str, Any]]:
    return [s.model_dump(mode="json") for s in checker.kb.sources.values()]


def kb_anatomy(checker: CheckerDep) -> list[dict[str, Any]]:
    return [m.model_dump(mode="json") for m in checker.kb.anatomy]


def add_kb_routes(app: FastAPI) -> None:
    # The routes without response_model are documented by their return annotation.
    kb = f"{API}/kb"
    tags: list[str | Enum] = ["knowledge base"]
    app.add_api_route(
        f"{kb}/causes", kb_causes, methods=["GET"], tags=tags, response_model=list[KbCause]
    )
    app.add_api_route(f"{kb}/causes/{{cause_id}}", kb_cause, methods=["GET"], tags=tags)
    app.add_api_route(
        f"{kb}/findings", kb_findings, methods=["GET"], tags=tags, response_model=list[KbFinding]
    )
    app.add_api_route(f"{kb}/sources", kb_sources, methods=["GET"], tags=tags)
    app.add_api_route(f"{kb}/anatomy", kb_anatomy, methods=["GET"], tags=tags)
