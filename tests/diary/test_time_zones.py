"""The machine's zone name without any third-party package, and checked zone names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from twitchcheck.diary.time_zones import check_zone, machine_zone, zone_or_none


def _link(tmp_path: Path, target: str) -> Path:
    link = tmp_path / "etc" / "localtime"
    link.parent.mkdir(exist_ok=True)
    os.symlink(target, link)
    return link


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        (":America/New_York", "America/New_York"),
        ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
        ("CET-1CEST,M3.5.0,M10.5.0/3", None),  # a POSIX rule: no IANA name to give
        ("Nowhere/Special", None),
    ],
)
def test_tz_comes_first(tmp_path: Path, tz: str, expected: str | None) -> None:
    link = _link(tmp_path, "/usr/share/zoneinfo/Europe/Lisbon")
    assert machine_zone({"TZ": tz}, link) == expected


def test_then_the_localtime_link_then_etc_timezone(tmp_path: Path) -> None:
    assert (
        machine_zone({}, _link(tmp_path, "../usr/share/zoneinfo/Africa/Nairobi"))
        == "Africa/Nairobi"
    )
    macos = tmp_path / "mac"
    macos.mkdir()
    os.symlink("/var/db/timezone/zoneinfo/America/Denver", macos / "localtime")
    assert machine_zone({}, macos / "localtime") == "America/Denver"
    copied = tmp_path / "copied"
    copied.mkdir()
    (copied / "localtime").write_bytes(b"TZif")  # a copy, not a link
    assert machine_zone({}, copied / "localtime") is None
    (copied / "timezone").write_text("Europe/Dublin\n", "utf-8")
    assert machine_zone({}, copied / "localtime") == "Europe/Dublin"


def test_only_iana_names_pass() -> None:
    assert check_zone("America/Argentina/Buenos_Aires") == "America/Argentina/Buenos_Aires"
    for bad in ("localtime", "posixrules", "../etc/passwd", "", "europe/berlin"):
        with pytest.raises(ValueError, match="Europe/Berlin"):
            check_zone(bad)
        assert zone_or_none(bad) is None
