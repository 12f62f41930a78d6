"""The shipped KB's parser, built once for the text tests."""

from __future__ import annotations

from typing import Any

import pytest

from twitchcheck.api import default_checker


@pytest.fixture(scope="session")
def parse() -> Any:
    checker = default_checker()

    def run(text: str) -> dict[str, Any]:
        return checker.text.parse(text)

    return run


def choices(parsed: dict[str, Any]) -> dict[str, str]:
    """finding id -> choice of a parse."""
    return {f["id"]: f["choice"] for f in parsed["findings"]}
