"""Birth years (issue 18 item 12): the profile takes only birth years the engine can assess
(ages MIN_AGE to MAX_AGE of twitchcheck.domain), checked once, the same way, by the API, the
form and the CLI; a profile beyond the range (stored before the check, or grown older) still
gives the diary, the progression and the report; and a page is never replaced by raw JSON.
Each test failed before its fix (1900-1905 were accepted, then /diary, the progression and the
PDF answered a raw JSON 422)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from twitchcheck.diary import schemas as ds
from twitchcheck.diary.service import DiaryStore, open_store
from twitchcheck.domain import MAX_AGE
from twitchcheck.errors import ValueRangeError
from twitchcheck.interfaces.cli import main
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

D = "/api/v1/diary"
THIS_YEAR = dt.date.today().year


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DiaryStore]:
    from twitchcheck.kb.loader import load_kb

    opened = open_store(f"sqlite:///{tmp_path / 'diary.sqlite3'}", load_kb())
    yield opened
    opened.engine.dispose()


@pytest.fixture
def client(store: DiaryStore) -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=100_000), store=store))


def is_page(res: Any, status: int) -> str:
    assert res.status_code == status, res.text[:300]
    assert res.headers["content-type"].startswith("text/html"), res.headers["content-type"]
    text: str = res.text
    assert not text.lstrip().startswith("{")
    return text


@pytest.mark.parametrize("year", [1900, 1903, THIS_YEAR - MAX_AGE - 1, THIS_YEAR + 1])
def test_a_birth_year_the_engine_cannot_assess_is_refused_everywhere(
    client: TestClient, store: DiaryStore, year: int, tmp_path: Path
) -> None:
    res = client.put(f"{D}/profile", json={"birth_year": year, "sex": "female"})
    assert res.status_code == 422 and "birth_year" in res.json()["detail"]
    page = client.post("/diary/profile", data={"birth_year": str(year), "sex": "female"})
    text = is_page(page, 422)
    assert any(m in text for m in ("must be between", "or more", "or less")), year
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    code = main(
        ["diary", "--database-url", db, "profile", "--birth-year", str(year), "--sex", "female"]
    )
    assert code == 2
    assert store.profile(store.local_user()).birth_year is None


def test_the_oldest_assessable_birth_year_is_taken_and_assessed(client: TestClient) -> None:
    first, last = ds.birth_years()
    assert (first, last) == (THIS_YEAR - MAX_AGE, THIS_YEAR)
    ok = client.put(f"{D}/profile", json={"birth_year": first, "sex": "male"})
    assert ok.status_code == 200
    assert client.get(f"{D}/progression").json()["needs_profile"] is False
    assert f'min="{first}"' in is_page(client.get("/diary"), 200)


def test_a_profile_beyond_the_range_still_gives_every_page(
    client: TestClient, store: DiaryStore
) -> None:
    """A profile stored before the check (or one that has grown older than the engine's
    range) is assessed at the oldest age the engine knows, never an error page."""
    old = ds.ProfileIn.model_construct(birth_year=1900, sex="female")
    store.set_profile(store.local_user(), old)
    when = (dt.datetime.now() - dt.timedelta(days=1)).replace(second=0, microsecond=0)
    episode = {
        "occurred_at": when.isoformat(),
        "locations": ["twitch_nose"],
        "duration_seconds": 20,
    }
    assert client.post(f"{D}/episodes", json=episode).status_code == 201

    is_page(client.get("/diary"), 200)
    for res in (client.get(f"{D}/progression"), client.post(f"{D}/progression")):
        assert res.status_code == 200, res.text
        assert res.json()["triage_level"] is not None
    report = client.get(f"{D}/report.pdf")
    assert report.status_code == 200 and report.headers["content-type"] == "application/pdf"
    assert client.post("/diary/progression", follow_redirects=False).status_code == 303


def test_an_error_on_a_page_is_a_page_not_json(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from twitchcheck.diary import analysis

    def broken(*_: Any, **__: Any) -> Any:
        raise ValueRangeError("Age must be between 0 and 120; got 126.")

    monkeypatch.setattr(analysis, "progression", broken)
    assert "Age must be between" in is_page(client.get("/diary"), 422)
    is_page(client.post("/diary/progression"), 422)
    # the API keeps its problem documents
    api = client.get(f"{D}/progression")
    assert api.status_code == 422 and api.headers["content-type"].startswith(
        "application/problem+json"
    )
