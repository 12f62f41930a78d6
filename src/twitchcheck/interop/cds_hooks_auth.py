"""Who is calling a CDS service: the bearer JWT a CDS client signs (CDS Hooks 2.0, "Trusting CDS
Clients"), verified with joserfc against configured public keys.

A token is believed only when its signature verifies with one of the configured keys (an
asymmetric algorithm: never ``none`` nor a shared secret), its ``iss`` is on the allow-list, its
``aud`` is the URL of the endpoint called, ``exp`` has not passed, ``iat`` is not in the future
(both with a small leeway for clock skew), and its ``jti`` has not been seen before while the
token is still valid (a replayed token is refused). The spec asks clients for tokens that live
at most five minutes; a longer ``exp`` is refused so that the replay memory stays small.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

#: The algorithms accepted: CDS Hooks requires services to support ES384 and RS384; the other
#: common asymmetric ones are accepted too. Symmetric (HS*) and ``none`` never are.
ALGORITHMS = ("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
#: Seconds of clock skew tolerated on ``exp`` and ``iat``.
LEEWAY_SECONDS = 30
#: The longest lifetime (exp - iat) accepted, in seconds (the spec: at most 5 minutes).
MAX_LIFETIME_SECONDS = 5 * 60


class CdsAuthError(Exception):
    """A call that is not authenticated (401): the reason says what is wrong, never the key."""


def load_key_set(value: str) -> KeySet:
    """The JWKS a setting names: inline JSON (``{"keys": [...]}``) or the path of a file holding
    it. Raises ValueError with the reason when it cannot be used."""
    text = value.strip()
    if not text.startswith("{"):
        try:
            text = Path(text).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"cds_jwks: cannot read the file {value!r}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError('cds_jwks: not a JSON document (a JWKS: {"keys": [...]})') from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list) or not data["keys"]:
        raise ValueError('cds_jwks: a JWKS needs a non-empty "keys" list')
    try:
        keys = KeySet.import_key_set(data)  # type: ignore[arg-type]  # checked just above
    except (JoseError, ValueError, TypeError) as exc:
        raise ValueError(f"cds_jwks: a key cannot be read ({exc})") from None
    if any(key.key_type == "oct" for key in keys):
        raise ValueError("cds_jwks: shared-secret (oct) keys are not accepted; give public keys")
    return keys


class JwtVerifier:
    """Verifies CDS clients' bearer tokens; thread-safe (the replay memory has a lock)."""

    def __init__(self, keys: KeySet | None, issuers: Collection[str]) -> None:
        self.keys = keys
        self.issuers = frozenset(issuers)
        self._seen: dict[str, float] = {}  # jti -> its token's exp
        self._lock = threading.Lock()

    def verify(
        self, authorization: str | None, audience: str, now: float | None = None
    ) -> Mapping[str, Any]:
        """The claims of the bearer token in ``authorization`` (the header's value), checked for
        ``audience``; raises CdsAuthError saying why not."""
        if self.keys is None:
            raise CdsAuthError(
                "This server has no CDS client keys configured (setting TWITCHCHECK_CDS_JWKS)."
            )
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise CdsAuthError("A bearer JWT is required: Authorization: Bearer <token>.")
        try:
            claims = dict(jwt.decode(token.strip(), self.keys, algorithms=ALGORITHMS).claims)
        except JoseError:
            # Which check failed (signature, unknown kid, bad encoding) is not said: it would
            # help a forger more than a client.
            raise CdsAuthError("The bearer token's signature does not verify.") from None
        now = time.time() if now is None else now
        registry = jwt.JWTClaimsRegistry(
            now=int(now),
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "values": sorted(self.issuers)},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError:
            raise CdsAuthError("The bearer token has expired.") from None
        except JoseError as exc:
            raise CdsAuthError(f"The bearer token is not accepted: {exc.description}.") from None
        self._check_lifetime_and_replay(claims, now)
        return claims

    def _check_lifetime_and_replay(self, claims: Mapping[str, Any], now: float) -> None:
        exp, iat, jti = claims["exp"], claims["iat"], claims["jti"]
        if not isinstance(jti, str) or not jti:
            raise CdsAuthError("The bearer token's jti must be a non-empty string.")
        if exp - iat > MAX_LIFETIME_SECONDS:
            raise CdsAuthError("The bearer token lives longer than 5 minutes (exp - iat).")
        with self._lock:
            self._seen = {k: v for k, v in self._seen.items() if v + LEEWAY_SECONDS >= now}
            if jti in self._seen:
                raise CdsAuthError("The bearer token was already used (its jti was seen).")
            self._seen[jti] = float(exp)
