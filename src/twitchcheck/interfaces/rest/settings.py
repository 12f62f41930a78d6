"""Server settings from the environment (prefix ``TWITCHCHECK_``); unsafe values are refused."""

from __future__ import annotations

import ipaddress

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def is_loopback(host: str) -> bool:
    """True when ``host`` can only be reached from this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TWITCHCHECK_", extra="ignore")

    #: Requests per client per minute before a 429 (a token bucket; 0 is refused: use a large
    #: number to effectively switch it off for a load test, and say so in the report).
    rate_limit_per_minute: int = Field(default=300, ge=1, le=1_000_000)
    #: Largest request body accepted, in bytes (a request is a few hundred bytes).
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=1024 * 1024)
    #: Trust X-Forwarded-For for the client address only behind a known proxy.
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

    @field_validator("host")
    @classmethod
    def _host_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("host must not be empty")
        return value

    @field_validator("database_url")
    @classmethod
    def _url_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("database_url must not be empty (leave it unset for the default)")
        return value

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
