"""The diary REST API (single-user mode) on SQLite and on PostgreSQL (the ``db_url`` fixture).

Answers are checked against independent computations: the stored assessment against the
stateless ``POST /api/v1/assess``, the trend counts against a recount of the episodes sent.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

from twitchcheck.diary.service import DiaryStore
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

D = "/api/v1/diary"
PROBLEM = "application/problem+json"


@pytest.fixture
def client(store: DiaryStore) -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=100_000), store=store))


def days_ago(n: int, hour: int = 9) -> str:
    day = dt.date.today() - dt.timedelta(days=n)
    return dt.datetime.combine(day, dt.time(hour, 30)).isoformat(timespec="minutes")


def episode(n: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "occurred_at": days_ago(n),
        "locations": ["twitch_nose"],
        "duration_seconds": 20,
        **extra,
    }


def is_problem(res: Any, status: int) -> dict[str, Any]:
    assert res.status_code == status, res.text
    assert res.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = res.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "code"} <= body.keys()
    return body


def test_episode_create_list_get_update_delete(client: TestClient) -> None:
    first = client.post(f"{D}/episodes", json=episode(3, intensity=2, side="left"))
    second = client.post(f"{D}/episodes", json=episode(1, locations=["twitch_eyelid"]))
    assert first.status_code == second.status_code == 201
    a, b = first.json(), second.json()
    assert a["side"] == "left" and a["intensity"] == 2 and a["locations"] == ["twitch_nose"]

    listed = client.get(f"{D}/episodes").json()
    assert [e["id"] for e in listed] == [b["id"], a["id"]]  # newest first
    since = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    assert [e["id"] for e in client.get(f"{D}/episodes", params={"since": since}).json()] == [
        b["id"]
    ]
    assert client.get(f"{D}/episodes/{a['id']}").json() == a

    changed = client.patch(f"{D}/episodes/{a['id']}", json={"intensity": 7, "note": "after run"})
    assert changed.status_code == 200
    assert changed.json() | {"intensity": 2, "note": None} == a  # only those two changed
    assert client.get(f"{D}/episodes/{a['id']}").json()["intensity"] == 7

    assert client.delete(f"{D}/episodes/{a['id']}").status_code == 204
    is_problem(client.get(f"{D}/episodes/{a['id']}"), 404)
    is_problem(client.delete(f"{D}/episodes/{a['id']}"), 404)
    assert [e["id"] for e in client.get(f"{D}/episodes").json()] == [b["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_seconds": -5}, "duration_seconds"),
        ({"intensity": 11}, "intensity"),
        ({"occurred_at": "2026-02-30T10:00"}, "occurred_at"),
        ({"occurred_at": "2999-01-01T10:00"}, "occurred_at"),
        ({"locations": []}, "locations"),
        ({"locations": ["twitch_nos"]}, "locations"),
        ({"side": "up"}, "side"),
        ({"stress": "high"}, "stress"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_episodes_are_422_naming_the_field_and_nothing_is_stored(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    body = is_problem(client.post(f"{D}/episodes", json=episode(1) | change), 422)
    assert field in body["detail"]
    assert client.get(f"{D}/episodes").json() == []
    assert client.get(f"{D}/trends").json()["total_episodes"] == 0


def test_a_bad_update_changes_nothing(client: TestClient) -> None:
    made = client.post(f"{D}/episodes", json=episode(2)).json()
    body = is_problem(client.patch(f"{D}/episodes/{made['id']}", json={"intensity": -1}), 422)
    assert "intensity" in body["detail"]
    body = is_problem(
        client.patch(f"{D}/episodes/{made['id']}", json={"locations": ["nowhere"]}), 422
    )
    assert "locations" in body["detail"]
    assert client.get(f"{D}/episodes/{made['id']}").json() == made


def test_malformed_requests_are_4xx_never_500(client: TestClient) -> None:
    for res in (
        client.post(
            f"{D}/episodes", content=b"{not json", headers={"content-type": "application/json"}
        ),
        client.post(f"{D}/episodes", json=[1, 2]),
        client.get(f"{D}/episodes/abc"),
        client.get(f"{D}/episodes/0"),
        client.get(f"{D}/episodes/99999999999999999999"),
        client.get(f"{D}/episodes", params={"limit": 0}),
        client.get(f"{D}/episodes", params={"since": "yesterday"}),
        client.post(f"{D}/checkins", json={"on_date": "2026-13-01"}),
        client.get(f"{D}/charts/nothing.svg"),
        client.post(f"{D}/import"),
    ):
        assert 400 <= res.status_code < 500, (res.request.url, res.status_code, res.text)
        assert res.headers["content-type"].startswith(PROBLEM)


def test_checkins_create_list_get_delete(client: TestClient) -> None:
    today = dt.date.today()
    made = client.post(
        f"{D}/checkins",
        json={
            "on_date": today.isoformat(),
            "answers": {"muscle_weakness": False},
            "sleep_hours": 7,
        },
    )
    assert made.status_code == 201
    c = made.json()
    assert c["answers"] == {"muscle_weakness": False} and c["sleep_hours"] == 7
    assert client.get(f"{D}/checkins").json() == [c]
    assert client.get(f"{D}/checkins/{c['id']}").json() == c
    bad = is_problem(
        client.post(
            f"{D}/checkins", json={"on_date": today.isoformat(), "answers": {"flying": True}}
        ),
        422,
    )
    assert "flying" in bad["detail"]
    assert client.delete(f"{D}/checkins/{c['id']}").status_code == 204
    assert client.get(f"{D}/checkins").json() == []


ASSESS = {
    "age": 52,
    "sex": "male",
    "evidence": [
        {"id": "twitch_nose", "choice": "present", "initial": True},
        {"id": "muscle_weakness", "choice": "present"},
    ],
}


def test_assessments_are_stored_with_their_evidence(client: TestClient) -> None:
    made = client.post(f"{D}/assessments", json=ASSESS)
    assert made.status_code == 201
    record = made.json()
    # The stored result is what the stateless endpoint answers for the same body.
    fresh = client.post("/api/v1/assess", json=ASSESS).json()
    assert record["result"] == fresh
    assert record["evidence"]["evidence"] == [
        e | {"initial": e.get("initial", False)} for e in ASSESS["evidence"]
    ]
    assert record["evidence"]["age"] == 52 and record["evidence"]["sex"] == "male"
    assert record["triage"] == fresh["triage"]["level"]
    assert record["top_cause"] == fresh["causes"][0]["id"]
    assert record["origin"] == "manual"
    assert client.get(f"{D}/assessments/{record['id']}").json() == record
    assert [r["id"] for r in client.get(f"{D}/assessments").json()] == [record["id"]]

    bad = is_problem(client.post(f"{D}/assessments", json=ASSESS | {"age": 300}), 422)
    assert "age" in bad["detail"]
    assert len(client.get(f"{D}/assessments").json()) == 1
    assert client.delete(f"{D}/assessments/{record['id']}").status_code == 204
    assert client.get(f"{D}/assessments").json() == []


def test_trends_count_what_was_sent(client: TestClient) -> None:
    sent = [(n, h) for n in (1, 1, 2, 5, 5, 5, 9) for h in (8,)]
    for i, (n, _h) in enumerate(sent):
        body = episode(n, duration_seconds=10 + i)
        body["occurred_at"] = days_ago(n, hour=6 + i)
        assert client.post(f"{D}/episodes", json=body).status_code == 201
    expected = Counter((dt.date.today() - dt.timedelta(days=n)).isoformat() for n, _ in sent)
    trend = client.get(f"{D}/trends").json()
    assert {d["day"]: d["episodes"] for d in trend["days"]} == dict(expected)
    assert trend["total_episodes"] == len(sent)
    assert sum(d["duration_seconds"] for d in trend["days"]) == sum(
        10 + i for i in range(len(sent))
    )
    triggers = client.get(f"{D}/triggers").json()
    # Seven entries on four days: below the minimum, so no claim is made.
    assert all(not e["enough_data"] and e["rate_ratio"] is None for e in triggers["effects"])


def test_progression_get_does_not_record_and_post_does(client: TestClient) -> None:
    client.put(f"{D}/profile", json={"birth_year": 1975, "sex": "female"})
    for n in (20, 10, 3, 1):
        client.post(f"{D}/episodes", json=episode(n))
    calm = client.get(f"{D}/progression").json()
    assert calm["record_id"] is None and calm["triage_level"]
    assert client.get(f"{D}/assessments").json() == []
    is_problem(client.get(f"{D}/progression", params={"record": "true"}), 422)

    client.post(
        f"{D}/checkins",
        json={"on_date": dt.date.today().isoformat(), "answers": {"progressive_weakness": True}},
    )
    kept = client.post(f"{D}/progression").json()
    records = client.get(f"{D}/assessments").json()
    assert [r["id"] for r in records] == [kept["record_id"]]
    assert records[0]["origin"] == "diary"
    assert "progressive_weakness" in kept["present"]
    from twitchcheck.domain import TriageLevel

    assert TriageLevel(kept["triage_level"]).rank > TriageLevel(calm["triage_level"]).rank


def test_profile_round_trip_and_bad_values(client: TestClient) -> None:
    empty = {"birth_year": None, "sex": None, "time_zone": None}
    assert client.get(f"{D}/profile").json() == empty
    assert client.put(f"{D}/profile", json={"birth_year": 1990, "sex": "male"}).status_code == 200
    assert is_problem(client.put(f"{D}/profile", json={"birth_year": 1800, "sex": "male"}), 422)
    assert client.get(f"{D}/profile").json() == empty | {"birth_year": 1990, "sex": "male"}


def test_csv_export_import_round_trip_and_bad_rows(client: TestClient) -> None:
    for n in (4, 2, 1):
        client.post(f"{D}/episodes", json=episode(n, caffeine_cups=n))
    client.post(f"{D}/checkins", json={"on_date": dt.date.today().isoformat(), "sleep_hours": 6})
    exported = client.get(f"{D}/export/csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(exported.content)) as zf:
        names = set(zf.namelist())
        episodes_csv = zf.read("episodes.csv").decode()
    assert {"episodes.csv", "checkins.csv"} <= names
    assert len(episodes_csv.strip().splitlines()) == 4  # header + three rows
    before = client.get(f"{D}/episodes").json()

    # Importing the export back adds nothing (every uid is known).
    again = client.post(f"{D}/import", files={"file": ("diary.zip", exported.content)})
    assert again.status_code == 200, again.text
    assert again.json()["added"] == 0
    assert client.get(f"{D}/episodes").json() == before

    # Into an emptied diary, the same file brings every episode back.
    assert client.delete(D).json()["episodes"] == 3
    back = client.post(f"{D}/import", files={"file": ("episodes.csv", episodes_csv.encode())})
    assert back.json()["added"] == 3
    strip = {"id", "created_at"}
    assert [
        {k: v for k, v in e.items() if k not in strip} for e in client.get(f"{D}/episodes").json()
    ] == [{k: v for k, v in e.items() if k not in strip} for e in before]

    # One malformed row: 422 naming the row and the field, and nothing stored.
    lines = episodes_csv.strip().splitlines()
    header = lines[0].split(",")
    col = header.index("duration_seconds")
    row = lines[1].split(",")
    row[col] = "-4"
    row[header.index("uid")] = "new-uid-1"
    bad = "\n".join([lines[0], ",".join(row)]) + "\n"
    client.delete(D)
    res = client.post(f"{D}/import", files={"file": ("episodes.csv", bad.encode())})
    body = is_problem(res, 422)
    assert "row" in body["detail"] and "duration_seconds" in body["detail"]
    assert client.get(f"{D}/episodes").json() == []


def test_fhir_export_is_a_bundle_of_observations(client: TestClient) -> None:
    """One Observation per episode and per check-in (its answers are components); the content
    is tested in tests/diary/test_fhir_export.py."""
    from fhir.resources.R4B.bundle import Bundle

    client.post(f"{D}/episodes", json=episode(1, intensity=3))
    client.post(
        f"{D}/checkins",
        json={
            "on_date": dt.date.today().isoformat(),
            "answers": {"muscle_weakness": False, "difficulty_swallowing": False},
        },
    )
    res = client.get(f"{D}/export/fhir")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate(res.json())
    kinds = Counter(e.resource.get_resource_type() for e in bundle.entry or [])
    assert kinds == {"Patient": 1, "Observation": 2}
    checkin = bundle.entry[-1].resource
    assert len(checkin.component) == 2  # the two answers


def test_delete_all_removes_every_entry(client: TestClient) -> None:
    client.post(f"{D}/episodes", json=episode(1))
    client.post(f"{D}/episodes", json=episode(2))
    client.post(f"{D}/checkins", json={"on_date": dt.date.today().isoformat(), "stress": 3})
    client.post(f"{D}/assessments", json=ASSESS)
    assert client.delete(D).json() == {"episodes": 2, "checkins": 1, "assessments": 1}
    assert client.get(f"{D}/episodes").json() == []
    assert client.get(f"{D}/checkins").json() == []
    assert client.get(f"{D}/assessments").json() == []
    assert client.get(f"{D}/trends").json()["total_episodes"] == 0


def test_report_pdf_and_chart_svg(client: TestClient) -> None:
    for n in (6, 3, 1, 1):
        client.post(f"{D}/episodes", json=episode(n, intensity=n))
    pdf = client.get(f"{D}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    from twitchcheck.interfaces.rest.routes.diary import CHART_NAMES

    for name in CHART_NAMES:
        svg = client.get(f"{D}/charts/{name}.svg")
        assert svg.status_code == 200, (name, svg.text)
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in svg.content


def test_writes_from_another_website_are_refused_in_single_user_mode(
    client: TestClient, store: DiaryStore
) -> None:
    """The local server has no cookie to check, so a page elsewhere must not write to it."""
    res = client.post(f"{D}/episodes", json=episode(1), headers={"origin": "https://evil.example"})
    is_problem(res, 403)
    res = client.post(
        "/diary/delete-all",
        data={"confirm": "yes"},
        headers={"origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert res.status_code == 403
    assert client.get(f"{D}/episodes").json() == []
    refused = [e for e in store.audit_events() if e.outcome.startswith("refused")]
    assert {e.target for e in refused} >= {f"{D}/episodes", "/diary/delete-all"}
    # The same origin is fine.
    ok = client.post(f"{D}/episodes", json=episode(1), headers={"origin": "http://testserver"})
    assert ok.status_code == 201


def test_every_diary_read_and_write_is_audited_without_health_content(
    client: TestClient, store: DiaryStore
) -> None:
    made = client.post(f"{D}/episodes", json=episode(1, note="secret-note-xyz")).json()
    client.get(f"{D}/episodes/{made['id']}")
    client.get(f"{D}/episodes")
    actions = [e.action for e in store.audit_events()]
    assert {"episode.create", "episode.read", "episode.list"} <= set(actions)
    for e in store.audit_events():
        assert "secret-note-xyz" not in f"{e.actor}{e.action}{e.target}{e.outcome}"


def test_an_import_larger_than_the_api_body_limit_is_accepted(store: DiaryStore) -> None:
    """Requests are limited to 64 KiB by default; the CSV import has its own, larger limit."""
    client = TestClient(
        create_app(Settings(rate_limit_per_minute=100_000, max_body_bytes=4096), store=store)
    )
    header = "uid,occurred_at,locations,duration_seconds,note\n"
    day = dt.date.today() - dt.timedelta(days=3)
    rows = [
        f"big-{i},{day.isoformat()}T08:{i % 60:02d},twitch_nose,{5 + i % 7},{'x' * 40}\n"
        for i in range(400)
    ]
    data = (header + "".join(rows)).encode()
    assert len(data) > 4096 * 5
    res = client.post(f"{D}/import", files={"file": ("episodes.csv", data)})
    assert res.status_code == 200, res.text
    assert res.json()["added"] == 400
    # Everywhere else the small limit still holds.
    is_problem(client.post(f"{D}/episodes", json=episode(1, note="y" * 5000)), 413)
