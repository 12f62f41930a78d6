"""What the command lines share: their consoles, JSON on standard output, list options."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console


def out_console() -> Console:
    return Console(highlight=False)


def err_console() -> Console:
    return Console(stderr=True, highlight=False)


def print_json(data: Any, default: Callable[[Any], Any] | None = None) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=default) + "\n")


def split_values(values: list[str] | None) -> list[str]:
    """Accept both repeated options and comma-separated lists."""
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out
