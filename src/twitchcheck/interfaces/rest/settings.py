"""Server settings from the environment (prefix ``TWITCHCHECK_``); unsafe values are refused."""

from __future__ import annotations

import ipaddress
import json
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from twitchcheck.interop.cds_hooks_auth import load_key_set

#: The host names a browser on this machine uses for a loopback server. A DNS-rebinding page
#: reaches 127.0.0.1 under its own name (``Host: evil.example:8000``), so only these are accepted
#: unless more are configured.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """True when ``host`` can only be reached from this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(value: str) -> str:
    """The host of a ``Host`` header or a configured name: lower case, without port, brackets
    or trailing dot (``[::1]:8000`` -> ``::1``, ``LocalHost.:80`` -> ``localhost``)."""
    value = value.strip().lower()
    if value.startswith("["):  # an IPv6 address, maybe with a port
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:  # name:port (a bare IPv6 address has more colons)
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def _split(value: object) -> object:
    """A comma-separated string (the environment's form) as a list."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("[") and '"' in stripped:  # a JSON list
            return json.loads(stripped)
        return [part.strip() for part in stripped.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TWITCHCHECK_", extra="ignore")

    #: Requests per client per minute before a 429 (a token bucket; 0 is refused: use a large
    #: number to effectively switch it off for a load test, and say so in the report).
    rate_limit_per_minute: int = Field(default=300, ge=1, le=1_000_000)
    #: Largest request body accepted, in bytes (a request is a few hundred bytes).
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=1024 * 1024)
    #: How long the whole body of a request may take to arrive, in seconds; a slower one is a
    #: 408 (a slow or stalled client must not hold a worker). The CSV import gets
    #: ``upload_timeout_seconds``.
    body_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    upload_timeout_seconds: float = Field(default=120.0, gt=0, le=3600)
    #: Host names (or addresses) this server answers to, port ignored; any other ``Host`` is a
    #: 400 (DNS rebinding). A list, or a comma-separated string in the environment. ``*`` turns
    #: the check off (never on a server that browsers reach).
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=lambda: [*LOOPBACK_NAMES])
    #: Addresses or networks of the reverse proxies whose ``X-Forwarded-For`` is believed (e.g.
    #: ``127.0.0.1`` or ``10.0.0.0/8``); the client is the right-most address not among them.
    #: Empty (the default): the header is ignored and the client is the connection's peer.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: The older switch: true trusts a proxy on this machine (loopback), as
    #: ``trusted_proxies=127.0.0.1,::1`` does.
    trust_forwarded_for: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    # -- the diary -------------------------------------------------------------------------
    #: Accounts with sign-in (``serve --multi-user``); off: every request is the local user.
    multi_user: bool = False
    #: The diary database; None: the environment's TWITCHCHECK_DATABASE_URL, else SQLite in the
    #: user's data folder.
    database_url: str | None = None
    #: How long a sign-in lasts (5 minutes to 30 days).
    session_ttl_minutes: int = Field(default=720, ge=5, le=43_200)
    #: Failed sign-ins per minute, per user name and per client address, before a 429.
    login_attempts_per_minute: int = Field(default=5, ge=1, le=1000)
    #: Send the session cookie only over HTTPS (needed when others can reach the server).
    cookie_secure: bool = False
    #: Keep rate-limit and sign-in throttle state in the database, where every worker process
    #: sees it (``serve --workers N`` sets it; PostgreSQL only). Off: each process's memory.
    shared_limits: bool = False

    # -- CDS Hooks (/cds-services, docs/fhir.md) -------------------------------------------
    #: The keys CDS clients sign their bearer JWTs with: a JWKS (``{"keys": [...]}``) inline,
    #: or the path of a file holding one. Set: every service call must carry a valid token.
    cds_jwks: str | None = None
    #: The ``iss`` values (CDS clients) whose tokens are believed.
    cds_issuers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: The service's public base URL (e.g. ``https://cds.example.org``): the tokens' audience is
    #: this plus the endpoint's path, and the cards' links start with it. None: the request's
    #: own URL (right only when no proxy rewrites scheme or host).
    cds_base_url: str | None = None
    #: How long the page a card links to can be opened, in minutes.
    cds_view_minutes: int = Field(default=30, ge=1, le=24 * 60)

    @field_validator("host")
    @classmethod
    def _host_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("host must not be empty")
        return value

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _host_names(cls, value: object) -> object:
        items = _split(value)
        if isinstance(items, list):
            names = [host_name(str(item)) for item in items]
            if not all(names):
                raise ValueError("allowed_hosts holds an empty name")
            return names
        return items

    @field_validator("cds_issuers", mode="before")
    @classmethod
    def _issuer_list(cls, value: object) -> object:
        return _split(value)

    @field_validator("cds_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("cds_base_url must be an http(s) URL such as https://cds.example.org")
        return value.rstrip("/") if value else value

    @property
    def cds_auth_required(self) -> bool:
        """Whether CDS Hooks calls need a bearer JWT: always, except on a single-user server
        that only this machine reaches and has no keys configured (development)."""
        return self.multi_user or self.cds_jwks is not None or not is_loopback(self.host)

    @model_validator(mode="after")
    def _cds_keys_need_issuers(self) -> Settings:
        if self.cds_jwks is not None:
            if not self.cds_issuers:
                raise ValueError(
                    "cds_jwks is set but cds_issuers is empty: list the CDS clients (JWT iss) "
                    "whose tokens are trusted"
                )
            load_key_set(self.cds_jwks)  # a key file that cannot be used fails at start-up
        return self

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_networks(cls, value: object) -> object:
        items = _split(value)
        if isinstance(items, list):
            for item in items:
                try:
                    ipaddress.ip_network(str(item).strip(), strict=False)
                except ValueError:
                    raise ValueError(
                        f"trusted_proxies: {str(item)[:60]!r} is not an address or a network"
                    ) from None
            return [str(item).strip() for item in items]
        return items

    @property
    def proxies(self) -> tuple[str, ...]:
        """The trusted proxies in force (the older switch counts as loopback)."""
        if self.trusted_proxies:
            return tuple(self.trusted_proxies)
        return ("127.0.0.1", "::1") if self.trust_forwarded_for else ()

    @property
    def host_names(self) -> frozenset[str]:
        """The accepted host names: the setting, and the address listened on when it names
        one machine (``serve --host 192.168.1.5`` is then reachable as http://192.168.1.5)."""
        names = set(self.allowed_hosts)
        listen = host_name(self.host)
        if listen not in ("0.0.0.0", "::", ""):
            names.add(listen)
        return frozenset(names)

    @field_validator("database_url")
    @classmethod
    def _url_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("database_url must not be empty (leave it unset for the default)")
        return value

    @model_validator(mode="after")
    def _shared_limits_need_postgresql(self) -> Settings:
        if self.shared_limits and not self.resolved_database_url.startswith("postgresql"):
            raise ValueError(
                "limits shared by several worker processes need PostgreSQL (set --database-url "
                "or TWITCHCHECK_DATABASE_URL to a postgresql:// URL); on SQLite serve one process"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database in force (the setting, the environment's, else SQLite)."""
        from twitchcheck.diary.databases import diary_database_url

        return diary_database_url(self.database_url)

    @model_validator(mode="after")
    def _cookies_never_in_clear_text(self) -> Settings:
        # A session cookie sent over plain HTTP to another machine can be read on the way.
        if self.multi_user and not self.cookie_secure and not is_loopback(self.host):
            raise ValueError(
                "multi-user mode on a non-loopback host needs cookie_secure=true "
                "(serve it over HTTPS, e.g. behind a TLS proxy) so that session cookies "
                "never travel in clear text"
            )
        return self
