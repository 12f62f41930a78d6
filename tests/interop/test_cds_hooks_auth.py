"""interop.cds_hooks_auth: CDS clients' bearer JWTs, with keys generated here."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey, RSAKey

from tests.interop.cds_fixtures import ISSUER, new_keys, public_jwks, public_key_set, token
from twitchcheck.interop.cds_hooks_auth import CdsAuthError, JwtVerifier, load_key_set

Keys = tuple[ECKey, RSAKey]
AUD = "https://cds.example.org/cds-services/twitchcheck-patient-view"


@pytest.fixture(scope="module")
def keys() -> Keys:
    return new_keys()


def verifier(*keys: ECKey | RSAKey) -> JwtVerifier:
    return JwtVerifier(public_key_set(*keys), [ISSUER])


def refused(v: JwtVerifier, header: str | None, words: str, audience: str = AUD) -> None:
    with pytest.raises(CdsAuthError) as err:
        v.verify(header, audience)
    assert words in str(err.value)


def test_valid_tokens_of_either_key_are_accepted(keys: Keys) -> None:
    ec, rsa = keys
    v = verifier(ec, rsa)
    for key in (ec, rsa):
        claims = v.verify(f"Bearer {token(key, AUD)}", AUD)
        assert claims["iss"] == ISSUER and claims["aud"] == AUD


def test_refusals(keys: Keys) -> None:
    ec, rsa = keys
    other, _ = new_keys()  # same kid, another key: a forger's
    v = verifier(ec)
    refused(v, None, "bearer JWT is required")
    refused(v, f"Basic {token(ec, AUD)}", "bearer JWT is required")
    refused(v, "Bearer not.a.token", "signature")
    refused(v, f"Bearer {token(other, AUD)}", "signature")
    refused(v, f"Bearer {token(rsa, AUD)}", "signature")  # a key that is not configured
    refused(v, f"Bearer {token(ec, AUD + '-other')}", "aud")
    refused(v, f"Bearer {token(ec, AUD, issuer='https://evil.example')}", "iss")
    refused(v, f"Bearer {token(ec, AUD, issued=time.time() - 600)}", "expired")
    refused(v, f"Bearer {token(ec, AUD, issued=time.time() + 600)}", "future")
    refused(v, f"Bearer {token(ec, AUD, lifetime=3600)}", "5 minutes")


def test_a_token_is_used_once(keys: Keys) -> None:
    ec, _ = keys
    v = verifier(ec)
    bearer = f"Bearer {token(ec, AUD, jti='once')}"
    v.verify(bearer, AUD)
    refused(v, bearer, "already used")


def test_missing_claims_are_refused(keys: Keys) -> None:
    ec, _ = keys
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUD, "iat": now, "exp": now + 60, "jti": "x"}
    for missing in ("iat", "exp", "jti"):
        payload = {k: v for k, v in claims.items() if k != missing}
        bearer = "Bearer " + jwt.encode({"alg": "ES384", "kid": "ec-1"}, payload, ec, ["ES384"])
        refused(verifier(ec), bearer, missing)


def test_a_shared_secret_token_is_never_accepted(keys: Keys) -> None:
    ec, _ = keys
    secret = OctKey.generate_key(256)
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUD, "iat": now, "exp": now + 60, "jti": "h"}
    bearer = "Bearer " + jwt.encode({"alg": "HS256"}, claims, secret)
    refused(verifier(ec), bearer, "signature")


def test_no_keys_refuses_everything(keys: Keys) -> None:
    ec, _ = keys
    refused(JwtVerifier(None, [ISSUER]), f"Bearer {token(ec, AUD)}", "no CDS client keys")


def test_key_sets_inline_or_from_a_file(keys: Keys, tmp_path: Path) -> None:
    ec, rsa = keys
    text = json.dumps(public_jwks(ec, rsa))
    path = tmp_path / "jwks.json"
    path.write_text(text, encoding="utf-8")
    assert len(load_key_set(text).keys) == len(load_key_set(str(path)).keys) == 2
    for bad, words in [
        (str(tmp_path / "missing.json"), "cannot read"),
        ("{not json", "not a JSON"),
        ('{"keys": []}', "non-empty"),
        (json.dumps({"keys": [OctKey.generate_key(256).as_dict()]}), "shared-secret"),
    ]:
        with pytest.raises(ValueError, match=words):
            load_key_set(bad)
