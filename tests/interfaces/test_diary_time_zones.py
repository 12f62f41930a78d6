"""Issue 20: every way an entry is made stores the zone it was made in — the CLI (the
computer's zone, or --time-zone), the REST API (an optional, checked ``time_zone``), the web
forms (the browser's zone in a hidden field) and the CSV import (a ``time_zone`` column)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.interfaces.test_diary_cli import Diary
from twitchcheck.diary.exchange import export_csv, import_csv
from twitchcheck.diary.service import DiaryStore
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

D = "/api/v1/diary"
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWITCHCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TWITCHCHECK_DATABASE_URL", raising=False)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    return Diary(f"sqlite:///{tmp_path / 'cli.sqlite3'}", capsys)


def _add(cli: Diary, *extra: str) -> Any:
    return cli.json("add", "--where", "twitch_nose", "--seconds", "3", *extra)


def test_the_cli_stores_the_computers_zone_or_the_one_given(
    cli: Diary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert _add(cli)["time_zone"] == "Europe/Berlin"
    assert _add(cli, "--time-zone", "Asia/Tokyo")["time_zone"] == "Asia/Tokyo"
    checkin = cli.json("checkin", "--date", YESTERDAY, "--stress", "3")
    assert checkin["time_zone"] == "Europe/Berlin"
    # A POSIX rule names no IANA zone: nothing is stored rather than a guess.
    monkeypatch.setenv("TZ", "CET-1CEST")
    code, out, err = cli.run("add", "--where", "twitch_nose", "--seconds", "3", "--json")
    assert code == 0 and json.loads(out)["time_zone"] is None
    assert "--time-zone" in err  # and the person is told how to give one


def test_the_cli_refuses_an_unknown_zone_naming_the_option(cli: Diary) -> None:
    code, _, err = cli.run("add", "--where", "twitch_nose", "--seconds", "3", "--time-zone", "Moon")
    assert code != 0 and "--time-zone" in err and "Europe/Berlin" in err
    assert cli.counts()[0] == 0


def test_the_cli_profile_sets_and_keeps_a_zone(cli: Diary) -> None:
    set_ = cli.json(
        "profile", "--birth-year", "1980", "--sex", "male", "--time-zone", "Europe/Rome"
    )
    assert set_["time_zone"] == "Europe/Rome"
    assert cli.json("profile", "--sex", "female")["time_zone"] == "Europe/Rome"


@pytest.fixture
def client(store: DiaryStore) -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=100_000), store=store))


def _episode(**extra: Any) -> dict[str, Any]:
    when = f"{YESTERDAY}T09:30"
    return {"occurred_at": when, "locations": ["twitch_nose"], "duration_seconds": 4, **extra}


def test_the_api_takes_an_optional_checked_time_zone(client: TestClient, store: DiaryStore) -> None:
    made = client.post(f"{D}/episodes", json=_episode(time_zone="America/Sao_Paulo"))
    assert made.status_code == 201 and made.json()["time_zone"] == "America/Sao_Paulo"
    plain = client.post(f"{D}/episodes", json=_episode())
    assert plain.status_code == 201 and plain.json()["time_zone"] is None
    for bad in ("Europe/Nowhere", "", "localtime", "+01:00"):
        res = client.post(f"{D}/episodes", json=_episode(time_zone=bad))
        assert res.status_code == 422, bad
        assert "time_zone" in res.text
    assert len(store.list_episodes(store.local_user())) == 2
    ck = client.post(f"{D}/checkins", json={"on_date": YESTERDAY, "stress": 2, "time_zone": "UTC"})
    assert ck.status_code == 201 and ck.json()["time_zone"] == "UTC"
    assert (
        client.post(f"{D}/checkins", json={"on_date": YESTERDAY, "time_zone": "X"}).status_code
        == 422
    )


def test_a_change_to_an_episode_keeps_or_sets_its_zone(client: TestClient) -> None:
    made = client.post(f"{D}/episodes", json=_episode(time_zone="Europe/Oslo")).json()
    moved = client.patch(f"{D}/episodes/{made['id']}", json={"duration_seconds": 8}).json()
    assert moved["time_zone"] == "Europe/Oslo"
    zoned = client.patch(f"{D}/episodes/{made['id']}", json={"time_zone": "Asia/Dubai"})
    assert zoned.json()["time_zone"] == "Asia/Dubai"
    assert client.patch(f"{D}/episodes/{made['id']}", json={"time_zone": "Oslo"}).status_code == 422


def test_the_api_profile_keeps_its_zone_when_a_change_leaves_it_out(client: TestClient) -> None:
    body = {"birth_year": 1990, "sex": "female", "time_zone": "Europe/Berlin"}
    assert client.put(f"{D}/profile", json=body).json()["time_zone"] == "Europe/Berlin"
    again = client.put(f"{D}/profile", json={"birth_year": 1991, "sex": "female"}).json()
    assert (again["birth_year"], again["time_zone"]) == (1991, "Europe/Berlin")


def test_the_web_form_stores_the_zone_its_hidden_field_holds(
    client: TestClient, store: DiaryStore
) -> None:
    page = client.get("/diary").text
    assert page.count('name="time_zone"') == 3  # the episode, check-in and profile forms
    form = {
        "occurred_at": f"{YESTERDAY}T09:30",
        "locations": "twitch_nose",
        "duration_seconds": "3",
        "time_zone": "Australia/Adelaide",
    }
    assert client.post("/diary/episodes", data=form, follow_redirects=False).status_code == 303
    # A zone the browser named wrongly is dropped, never an error the person cannot fix.
    form["time_zone"] = "Not/AZone"
    assert client.post("/diary/episodes", data=form, follow_redirects=False).status_code == 303
    zones = sorted(str(e.time_zone) for e in store.list_episodes(store.local_user()))
    assert zones == ["Australia/Adelaide", "None"]


def test_csv_export_and_import_keep_the_zone(
    store: DiaryStore, client: TestClient, tmp_path: Path
) -> None:
    client.post(f"{D}/episodes", json=_episode(time_zone="Pacific/Auckland"))
    client.post(f"{D}/episodes", json=_episode(duration_seconds=9))
    client.post(f"{D}/checkins", json={"on_date": YESTERDAY, "stress": 2, "time_zone": "UTC"})
    client.put(
        f"{D}/profile", json={"birth_year": 1990, "sex": "other", "time_zone": "Asia/Kolkata"}
    )
    user = store.local_user()
    export_csv(store, user, tmp_path / "out")
    header = (tmp_path / "out" / "episodes.csv").read_text("utf-8").splitlines()[0]
    assert header.endswith(",time_zone")
    from tests.helpers import add_user

    other = add_user(store, "other")
    import_csv(store, other, tmp_path / "out")
    assert sorted(str(e.time_zone) for e in store.iter_episodes(other)) == [
        "None",
        "Pacific/Auckland",
    ]
    assert [c.time_zone for c in store.iter_checkins(other)] == ["UTC"]
    assert store.profile(other).time_zone == "Asia/Kolkata"
    # A file written before the column existed still imports, its rows without a zone.
    old = tmp_path / "old.csv"
    old.write_text(
        f"occurred_at,locations,duration_seconds\n{YESTERDAY}T08:00,twitch_nose,5\n", "utf-8"
    )
    third = add_user(store, "third")
    import_csv(store, third, old)
    assert [e.time_zone for e in store.iter_episodes(third)] == [None]
