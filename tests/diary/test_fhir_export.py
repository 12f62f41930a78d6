"""Issue 20: the diary's FHIR export — every finding and component coded, every field exported,
assessments as RiskAssessments, stable identifiers and fullUrls, a narrative on each resource.
Times and zones: test_fhir_export_times.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from twitchcheck.diary.exchange import check_bundle, export_fhir
from twitchcheck.diary.fhir_export import NOT_EXPORTED
from twitchcheck.diary.schemas import (
    CheckInIn,
    CheckInPublic,
    EpisodePublic,
    ProfileIn,
    parse_episode,
)
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.kb import coding as c

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
JSON = dict[str, Any]


def _episode(when: str, zone: str | None = None, **extra: Any) -> Any:
    data: JSON = {"occurred_at": when, "locations": ["twitch_nose"], "duration_seconds": 5}
    if zone is not None:
        data["time_zone"] = zone
    return parse_episode(data | extra)


def _resources(bundle: JSON, kind: str) -> list[JSON]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _episodes_by_uid(bundle: JSON) -> dict[str, JSON]:
    return {
        r["identifier"][0]["value"]: r
        for r in _resources(bundle, "Observation")
        if r["identifier"][0]["system"] == c.DIARY_ENTRY_IDENTIFIER
    }


def _comps(resource: JSON, code: str) -> list[JSON]:
    return [
        comp
        for comp in resource.get("component", [])
        if any(
            x["system"] == c.DIARY_COMPONENT_SYSTEM and x["code"] == code
            for x in comp["code"]["coding"]
        )
    ]


# -- 2-5. coding, fields, identifiers, narrative ----------------------------------------------
@pytest.fixture
def full(store: DiaryStore) -> Iterator[tuple[DiaryStore, UserRef]]:
    """A diary where every field of an episode and of a check-in holds a value."""
    user = store.local_user()
    store.set_profile(user, ProfileIn(birth_year=1985, sex="female", time_zone="Europe/Berlin"))
    store.add_episode(
        user,
        parse_episode(
            {
                "occurred_at": "2026-05-01T08:15:00",
                "locations": ["twitch_nose", "twitch_eyelid"],
                "side": "left",
                "duration_seconds": 12.5,
                "intensity": 4,
                "caffeine_cups": 2,
                "sleep_hours": 6.5,
                "stress": 7,
                "exercise": True,
                "alcohol_units": 1.5,
                "medicines": ["ibuprofen", "salbutamol inhaler"],
                "medicine_changed": False,
                "note": "after coffee <b>strong</b>",
                "time_zone": "Europe/Lisbon",
                "uid": "ep-1",
            }
        ),
    )
    store.add_checkin(
        user,
        CheckInIn(
            on_date=dt.date(2026, 5, 3),
            answers={"muscle_weakness": False, "difficulty_swallowing": True},
            caffeine_cups=3,
            sleep_hours=5.5,
            stress=6,
            note="tired",
            time_zone="Europe/Lisbon",
            uid="ck-1",
        ),
    )
    store.record_assessment(
        user,
        {"age": 41, "sex": "female", "evidence": [{"id": "twitch_nose", "choice": "present"}]},
        {
            "kb_version": "t",
            "causes": [
                {"id": "benign_muscle_spasm", "name": "Harmless muscle spasm", "probability": 0.6},
                {"id": "als", "name": "ALS", "probability": 0.001},
            ],
            "triage": {"level": "self_care", "name": "Self-care", "advice": "Rest."},
        },
    )
    yield store, user


def _one(bundle: JSON, system: str) -> JSON:
    (found,) = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"].get("identifier", [{}])[0].get("system") == system
    ]
    return found


def _codes(concept: JSON) -> set[tuple[str, str]]:
    return {(x["system"], x["code"]) for x in concept["coding"]}


def test_every_finding_is_coded_and_every_observation_has_a_category(
    full: tuple[DiaryStore, UserRef],
) -> None:
    store, user = full
    kb = store.kb
    bundle = export_fhir(store, user, kb, NOW)
    episode = _one(bundle, c.DIARY_ENTRY_IDENTIFIER)
    places = [comp["valueCodeableConcept"] for comp in _comps(episode, "location")]
    nose = kb.findings[kb.finding_index["twitch_nose"]].codes
    assert _codes(places[0]) == {
        (c.FINDING_SYSTEM, "twitch_nose"),
        *((c.SNOMED_CT, x) for x in nose.snomed),
        *((c.HPO, x) for x in nose.hpo),
    }
    assert (c.SNOMED_CT, "82470000") in _codes(places[0])  # fasciculation, as the KB codes it
    assert (c.FINDING_SYSTEM, "twitch_eyelid") in _codes(places[1])
    checkin = _one(bundle, c.DIARY_CHECKIN_IDENTIFIER)
    answers = {
        x["code"]: comp["valueBoolean"]
        for comp in checkin["component"]
        for x in comp["code"]["coding"]
        if x["system"] == c.FINDING_SYSTEM
    }
    assert answers == {"muscle_weakness": False, "difficulty_swallowing": True}
    swallow = next(
        comp for comp in checkin["component"] if comp["code"]["text"] == "Trouble swallowing"
    )
    assert {"40739000", "HP:0002015"} <= {x["code"] for x in swallow["code"]["coding"]}
    for obs in _resources(bundle, "Observation"):
        assert [x["code"] for cat in obs["category"] for x in cat["coding"]] == ["survey"]
        for comp in [obs, *obs["component"]]:
            assert comp["code"]["coding"], comp["code"]
            for coding in comp["code"]["coding"]:
                if coding["system"] == c.DIARY_COMPONENT_SYSTEM:
                    assert coding["code"] in c.DIARY_COMPONENTS


def _episode_places(resource: JSON) -> dict[str, Callable[[], Any]]:
    """Where each field of an episode is in its Observation (a field added to the schema and
    not to this map fails the walk below, until it is exported and listed here)."""

    def one(code: str, key: str) -> Any:
        (comp,) = _comps(resource, code)
        return comp[key]

    return {
        "uid": lambda: resource["identifier"][0]["value"],
        "occurred_at": lambda: resource["effectiveDateTime"],
        "locations": lambda: [
            x["code"]
            for comp in _comps(resource, "location")
            for x in comp["valueCodeableConcept"]["coding"]
            if x["system"] == c.FINDING_SYSTEM
        ],
        "side": lambda: one("side", "valueString"),
        "duration_seconds": lambda: one("duration", "valueQuantity")["value"],
        "intensity": lambda: one("intensity", "valueInteger"),
        "caffeine_cups": lambda: one("caffeine", "valueQuantity")["value"],
        "sleep_hours": lambda: one("sleep", "valueQuantity")["value"],
        "stress": lambda: one("stress", "valueInteger"),
        "exercise": lambda: one("exercise", "valueBoolean"),
        "alcohol_units": lambda: one("alcohol", "valueQuantity")["value"],
        "medicines": lambda: [comp["valueString"] for comp in _comps(resource, "medicine")],
        "medicine_changed": lambda: one("medicine-changed", "valueBoolean"),
        "note": lambda: resource["note"][0]["text"],
        "time_zone": lambda: next(
            e["valueCode"] for e in resource["extension"] if e["url"] == c.DIARY_TIME_ZONE_EXTENSION
        ),
        "created_at": lambda: resource["issued"],
    }


def _checkin_places(resource: JSON) -> dict[str, Callable[[], Any]]:
    def one(code: str) -> Any:
        (comp,) = _comps(resource, code)
        return next(v for k, v in comp.items() if k.startswith("value"))

    return {
        "uid": lambda: resource["identifier"][0]["value"],
        "on_date": lambda: resource["effectiveDateTime"],
        "answers": lambda: {
            x["code"]: comp["valueBoolean"]
            for comp in resource["component"]
            for x in comp["code"]["coding"]
            if x["system"] == c.FINDING_SYSTEM
        },
        "caffeine_cups": lambda: one("caffeine")["value"],
        "sleep_hours": lambda: one("sleep")["value"],
        "stress": lambda: one("stress"),
        "note": lambda: resource["note"][0]["text"],
        "time_zone": lambda: resource["extension"][0]["valueCode"],
        "created_at": lambda: resource["issued"],
    }


def _same(stored: Any, exported: Any) -> bool:
    if isinstance(stored, dt.datetime):  # created_at (UTC) or the wall-clock time
        return str(exported)[:16] == stored.isoformat()[:16]
    if isinstance(stored, dt.date):
        return bool(exported == stored.isoformat())
    return bool(exported == stored)


@pytest.mark.parametrize(
    ("schema", "system", "places"),
    [
        (EpisodePublic, c.DIARY_ENTRY_IDENTIFIER, _episode_places),
        (CheckInPublic, c.DIARY_CHECKIN_IDENTIFIER, _checkin_places),
    ],
)
def test_no_field_of_an_episode_or_checkin_is_missing_from_the_export(
    full: tuple[DiaryStore, UserRef],
    schema: type[EpisodePublic | CheckInPublic],
    system: str,
    places: Callable[[JSON], dict[str, Callable[[], Any]]],
) -> None:
    store, user = full
    resource = _one(export_fhir(store, user, store.kb, NOW), system)
    stored = (
        next(store.iter_episodes(user))
        if schema is EpisodePublic
        else next(store.iter_checkins(user))
    )
    where = places(resource)
    for field in schema.model_fields:
        if field in NOT_EXPORTED:
            continue
        assert field in where, f"{schema.__name__}.{field} is not in the export"
        value = getattr(stored, field)
        assert value not in (None, []), f"the fixture leaves {field} empty"
        assert _same(value, where[field]()), (field, value, where[field]())
    assert set(NOT_EXPORTED) == {"id"}


def test_a_saved_assessment_is_a_risk_assessment_with_a_prediction_per_cause(
    full: tuple[DiaryStore, UserRef],
) -> None:
    store, user = full
    bundle = export_fhir(store, user, store.kb, NOW)
    risk = _one(bundle, c.DIARY_ASSESSMENT_IDENTIFIER)
    assert risk["resourceType"] == "RiskAssessment" and risk["status"] == "final"
    outcomes = [(_codes(p["outcome"]), p["probabilityDecimal"]) for p in risk["prediction"]]
    assert [(c.CAUSE_SYSTEM, "benign_muscle_spasm") in o for o, _ in outcomes] == [True, False]
    assert (c.CAUSE_SYSTEM, "als") in outcomes[1][0] and outcomes[1][1] == 0.001
    als = store.kb.causes[store.kb.cause_index["als"]].codes
    assert {(c.SNOMED_CT, x) for x in als.snomed} <= outcomes[1][0]
    (level,) = [e for e in risk["extension"] if e["url"] == c.TRIAGE_LEVEL_EXTENSION]
    assert _codes(level["valueCodeableConcept"]) == {(c.TRIAGE_SYSTEM, "self_care")}
    assert risk["mitigation"] == "Rest."
    assert "Nose twitch: present" in risk["note"][0]["text"]


def test_a_second_export_has_the_same_identifiers_and_fullurls(
    full: tuple[DiaryStore, UserRef],
) -> None:
    store, user = full
    first = export_fhir(store, user, store.kb, NOW)
    second = export_fhir(store, user, store.kb, NOW + dt.timedelta(days=3))

    def keys(bundle: JSON) -> list[tuple[str, Any]]:
        return [(e["fullUrl"], e["resource"].get("identifier")) for e in bundle["entry"]]

    assert keys(first) == keys(second)
    assert first["timestamp"] != second["timestamp"]
    urls = [e["fullUrl"] for e in first["entry"]]
    assert all(u.startswith("urn:uuid:") for u in urls) and len(set(urls)) == len(urls)
    for entry in first["entry"][1:]:
        (ident,) = entry["resource"]["identifier"]
        assert ident["system"] in {
            c.DIARY_ENTRY_IDENTIFIER,
            c.DIARY_CHECKIN_IDENTIFIER,
            c.DIARY_ASSESSMENT_IDENTIFIER,
        }
    # A new entry leaves the others' fullUrls as they were.
    store.add_episode(user, _episode("2026-05-02T10:00", "Europe/Berlin"))
    third = export_fhir(store, user, store.kb, NOW)
    assert set(urls) < {e["fullUrl"] for e in third["entry"]}


def test_each_resource_has_a_narrative_and_the_patient_only_birth_year_and_sex(
    full: tuple[DiaryStore, UserRef],
) -> None:
    store, user = full
    bundle = export_fhir(store, user, store.kb, NOW)
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        text = entry["resource"]["text"]
        assert text["status"] == "generated"
        assert text["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
    episode = _one(bundle, c.DIARY_ENTRY_IDENTIFIER)
    assert "&lt;b&gt;strong&lt;/b&gt;" in episode["text"]["div"]  # the note escaped, not markup
    (patient,) = _resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "text", "gender", "birthDate"}
    assert (patient["gender"], patient["birthDate"]) == ("female", "1985")
    assert "Europe/Berlin" not in str(patient)


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda r: r.update(status="finished"), "status 'finished'"),
        (lambda r: r.pop("text"), "narrative"),
        (lambda r: r["identifier"][0].pop("system"), "identifier"),
        (lambda r: r.pop("category"), "category"),
        (lambda r: r.update(effectiveDateTime="2026-05-01T08:15:00"), "no offset"),
    ],
)
def test_check_bundle_catches_what_fhir_resources_lets_through(
    full: tuple[DiaryStore, UserRef], break_it: Callable[[JSON], Any], message: str
) -> None:
    store, user = full
    data = export_fhir(store, user, store.kb, NOW)
    break_it(_one(data, c.DIARY_ENTRY_IDENTIFIER))
    with pytest.raises(ValueError, match=message):
        check_bundle(data)
