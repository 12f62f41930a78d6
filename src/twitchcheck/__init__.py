"""twitchcheck: why does my nose twitch? Exact, cited decision support (not a diagnosis)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from twitchcheck.results import Assessment, ParsedText


def assess(**kwargs: Any) -> Assessment:
    """Assess reported findings; see :func:`twitchcheck.api.assess`.

    Imported lazily so that ``import twitchcheck`` stays cheap and side-effect free.
    """
    from twitchcheck.api import assess as _assess

    return _assess(**kwargs)


def parse(text: str) -> ParsedText:
    """Read free text into findings; see :func:`twitchcheck.api.parse` (nothing is kept)."""
    from twitchcheck.api import parse as _parse

    return _parse(text)


__all__ = ["__version__", "assess", "parse"]
