"""The time zone an entry was made in: checked names, the machine's own zone, wall clock to instant.

The diary keeps the person's wall-clock time (see :mod:`twitchcheck.storage.models`) and, since
issue 20, the IANA name of the zone they were in (``Europe/Berlin``), so that an export can say
which instant they meant without guessing from the exporting machine's clock.

Clock changes. A wall-clock time that does not exist (``2026-03-29 02:30`` in Berlin, skipped in
spring) or exists twice (``2026-10-25 02:30``, repeated in autumn) is read with PEP 495's
``fold=0``: the offset in force *before* the change. The time the person wrote is always kept as
written (02:30 stays 02:30, never 03:30 or 01:30); only the offset beside it is chosen, and for
the repeated hour it is the first pass (summer time), the reading a person noting "02:30" on that
night most often means, since a clock read before the change shows it first.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, available_timezones

from pydantic import AfterValidator, StringConstraints


@functools.cache
def _known_zones() -> frozenset[str]:
    # The IANA names only: ZoneInfo() alone would also open files such as "localtime" or
    # "posixrules" that sit in the zone folder but are not zone names, and on some systems
    # available_timezones() lists "localtime" too (a link to whatever the machine is set to).
    not_names = {"localtime", "posixrules", "Factory"}
    return frozenset(
        name
        for name in available_timezones()
        if name not in not_names and not name.startswith(("posix/", "right/"))
    )


def is_zone(name: str) -> bool:
    return name in _known_zones()


def check_zone(name: str) -> str:
    """``name`` if it is an IANA time zone name, else a ValueError a person can act on."""
    if not is_zone(name):
        raise ValueError(f"'{name}' is not a time zone name (use one like Europe/Berlin)")
    return name


#: A time zone field: an IANA name, checked (a REST client sending another gets a 422).
TimeZoneName = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=64), AfterValidator(check_zone)
]


def zone_or_none(name: str | None) -> str | None:
    """``name`` if it is a zone name, else None (for a zone a browser sent, not one typed)."""
    return name if name is not None and is_zone(name.strip()) else None


def _zone_from_path(path: str) -> str | None:
    """The zone a path into a zone folder names: ``/usr/share/zoneinfo/Europe/Berlin`` (Linux),
    ``/var/db/timezone/zoneinfo/Europe/Berlin`` (macOS), ``.../zoneinfo/posix/Europe/Berlin``."""
    if "zoneinfo/" not in path:
        return None
    name = path.rsplit("zoneinfo/", 1)[1]
    for variant in ("posix/", "right/"):
        name = name.removeprefix(variant)
    return zone_or_none(name)


def machine_zone(
    environ: dict[str, str] | None = None, localtime: Path | None = None
) -> str | None:
    """The IANA name of the zone this machine is set to, or None when it cannot be named.

    ``$TZ`` first (a name, ``:Name``, or a path into the zone folder), then the target of the
    ``/etc/localtime`` link, then Debian's ``/etc/timezone``. A POSIX rule such as
    ``CET-1CEST`` names no IANA zone: the answer is then None, and the entry is stored without a
    zone (the export falls back to the profile's zone, else to the date alone) rather than with a
    guess. Read without any third-party package.
    """
    env = os.environ if environ is None else environ
    link = Path("/etc/localtime") if localtime is None else localtime
    tz = env.get("TZ", "").strip().removeprefix(":")
    if tz:
        return zone_or_none(tz) or _zone_from_path(tz)
    try:
        found = _zone_from_path(os.readlink(link))
    except OSError:  # not a link (a copied file) or missing
        found = None
    if found:
        return found
    try:
        return zone_or_none((link.parent / "timezone").read_text(encoding="utf-8").strip())
    except OSError:
        return None


def in_zone(wall: dt.datetime, zone: str) -> dt.datetime:
    """The wall-clock time ``wall`` (naive) in ``zone``, aware, with ``fold=0`` (see the module
    note): the clock reading is unchanged, only its offset is chosen."""
    return wall.replace(tzinfo=ZoneInfo(zone), fold=0)


def fhir_datetime(wall: dt.datetime, zone: str) -> str:
    """FHIR's dateTime (seconds and the offset) for a wall-clock time in ``zone``.

    Written from the wall-clock time and the zone's offset, never by converting to UTC and
    back: a time the spring change skipped keeps the hour the person wrote.
    """
    offset = in_zone(wall, zone).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{wall.replace(microsecond=0).isoformat()}{sign}{hours:02d}:{mins:02d}"
