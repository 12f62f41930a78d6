"""Who the client is, as far as the server can tell: its address."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import Scope


def client_address(scope: Scope, trust_forwarded_for: bool) -> str:
    """The client's address: the first one of ``X-Forwarded-For`` when the server runs behind a
    proxy it trusts (``trust_forwarded_for``), else the connection's peer."""
    if trust_forwarded_for:
        forwarded = Headers(scope=scope).get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
