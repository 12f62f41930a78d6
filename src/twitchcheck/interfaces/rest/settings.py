"""Server settings from the environment (prefix ``TWITCHCHECK_``); unsafe values are refused."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    @field_validator("host")
    @classmethod
    def _host_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("host must not be empty")
        return value
