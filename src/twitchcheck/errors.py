"""The one exception hierarchy of twitchcheck.

Every error the product raises on purpose derives from :class:`TwitchcheckError`. Each subclass
carries a stable ``code`` (shown to people and in API problem documents), the CLI exit code and
the HTTP status it maps to, so every interface reports the same failure the same way. This module
imports nothing from the rest of the package.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class TwitchcheckError(Exception):
    """Base class: something the user (or a KB author) can fix; never a crash."""

    code: str = "E000"
    #: A short human title (API problem documents' ``title``), never a class name.
    title: str = "Something went wrong"
    exit_code: int = 1
    http_status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(TwitchcheckError):
    """A request that cannot be answered as given (bad id, contradiction, out-of-range value)."""

    code = "E100"
    title = "Invalid input"
    exit_code = 2
    http_status = 422


class UnknownIdError(InputError):
    """An id that the knowledge base does not define; names close ids."""

    code = "E101"

    def __init__(self, kind: str, unknown: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.unknown = unknown
        self.suggestions = suggest(unknown, known)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"Unknown {kind} id '{unknown}'.{hint}")
        # "Unknown finding", "Unknown concern": the kind of id, in the title.
        self.title = f"Unknown {kind.replace('-', ' ')}"


class NotFoundError(UnknownIdError):
    """An id in a URL path that names nothing (REST: 404; the CLI treats it as bad input)."""

    code = "E104"
    http_status = 404

    def __init__(self, kind: str, unknown: str, known: Iterable[str]) -> None:
        super().__init__(kind, unknown, known)
        self.title = f"No such {kind.replace('-', ' ')}"


class ContradictionError(InputError):
    """Evidence that contradicts itself (also after closure under the KB's implications)."""

    code = "E102"
    title = "Contradictory answers"

    def __init__(self, message: str, ids: Sequence[str]) -> None:
        self.ids = tuple(ids)
        super().__init__(message)


class ValueRangeError(InputError):
    """A value outside its allowed range or set (age, sex, choice)."""

    code = "E103"
    title = "Value out of range"


class RecordError(InputError):
    """A diary entry or import row that cannot be stored; names the field (and row) at fault.

    ``problems`` lists every problem found as ``(where, message)``; nothing is stored when any
    problem is found, so a half-imported file never happens.
    """

    code = "E105"
    title = "Entry not stored"

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(f"{where}: {msg}" for where, msg in self.problems[:20])
        more = len(self.problems) - 20
        tail = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"Nothing was stored. {shown}{tail}")


class AuthError(TwitchcheckError):
    """Not signed in, a wrong password, or an expired session (REST: 401)."""

    code = "E601"
    title = "Not signed in"
    exit_code = 2
    http_status = 401


class ForbiddenError(TwitchcheckError):
    """A request refused on purpose: a missing CSRF token, a disabled feature (REST: 403)."""

    code = "E603"
    title = "Not allowed"
    exit_code = 2
    http_status = 403


class TooManyAttemptsError(TwitchcheckError):
    """Too many sign-in attempts in a short time (REST: 429)."""

    code = "E629"
    title = "Too many attempts"
    exit_code = 2
    http_status = 429


class StorageError(TwitchcheckError):
    """The diary database cannot be reached or used (REST: 503); the message says which, in
    plain words and without any of the data being written. Its code is its own: E500 is the
    REST internal-error code (a bug), this is a failure of the storage (try again, free space,
    fix the location)."""

    code = "E503"
    title = "Diary unavailable"
    exit_code = 4
    http_status = 503


@dataclass(frozen=True)
class KBProblem:
    """One problem found in a knowledge base, with where it is."""

    file: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.location}: {self.message}"


class KnowledgeBaseError(TwitchcheckError):
    """The knowledge base is invalid; ``problems`` lists every problem found, with locations."""

    code = "E200"
    title = "Invalid knowledge base"
    exit_code = 3
    http_status = 500

    def __init__(self, problems: Sequence[KBProblem]) -> None:
        self.problems = tuple(problems)
        n = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"The knowledge base has {n} problem{'s' if n != 1 else ''}:\n{lines}")


class NetworkError(TwitchcheckError):
    """A network handed to the engine is malformed (shapes, ranges)."""

    code = "E300"
    title = "Invalid network"
    exit_code = 3
    http_status = 500


class EvaluationError(TwitchcheckError):
    """A vignette file that cannot be evaluated; names the line and field."""

    code = "E400"
    title = "Invalid vignette file"
    exit_code = 2
    http_status = 422


def suggest(unknown: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The ``n`` known ids closest to ``unknown`` (by spelling, then by shared words)."""
    pool = sorted(set(known))
    close = difflib.get_close_matches(unknown, pool, n=n, cutoff=0.6)
    if len(close) < n:
        words = {w for w in unknown.lower().replace("-", "_").split("_") if len(w) > 2}
        for cand in pool:
            if cand in close or not words:
                continue
            if words & set(cand.split("_")):
                close.append(cand)
            if len(close) >= n:
                break
    return close
