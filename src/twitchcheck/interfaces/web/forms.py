"""Reading the diary's HTML forms into the data the diary's schemas check.

A field left empty is left out, so that a required one is reported as missing, by name.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from twitchcheck.diary.time_zones import zone_or_none
from twitchcheck.errors import RecordError


def form_errors(exc: RecordError) -> dict[str, str]:
    """Field name -> message, for showing each error next to its field."""
    out: dict[str, str] = {}
    for where, msg in exc.problems:
        key = where.split(".")[0] or "form"
        out.setdefault(key, msg)
    return out


def optional(form: FormData, name: str) -> str | None:
    """The field's text, stripped; None when it is missing or blank."""
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def browser_zone(form: FormData) -> str | None:
    """The zone the page's script put in the hidden ``time_zone`` field. One the browser named
    wrongly is dropped (the entry is stored without a zone), never an error: the person cannot
    see or fix a hidden field."""
    return zone_or_none(optional(form, "time_zone"))


def episode_from_form(form: FormData) -> dict[str, Any]:
    data: dict[str, Any] = {
        "occurred_at": optional(form, "occurred_at"),
        "locations": [v for v in form.getlist("locations") if isinstance(v, str)],
        "side": optional(form, "side") or "unknown",
        "duration_seconds": optional(form, "duration_seconds"),
    }
    for name in ("intensity", "caffeine_cups", "sleep_hours", "stress", "alcohol_units", "note"):
        if (value := optional(form, name)) is not None:
            data[name] = value
    if (exercise := yes_no(optional(form, "exercise"))) is not None:
        data["exercise"] = exercise
    medicines = optional(form, "medicines")
    if medicines:
        data["medicines"] = [m.strip() for m in medicines.split(",") if m.strip()]
    if form.get("medicine_changed") == "yes":
        data["medicine_changed"] = True
    data["time_zone"] = browser_zone(form)
    # A required field left empty is reported as missing, naming it.
    return {k: v for k, v in data.items() if v is not None}


def checkin_from_form(form: FormData, asked: list[str]) -> dict[str, Any]:
    answers: dict[str, bool] = {}
    for finding in asked:
        answer = yes_no(optional(form, f"answer_{finding}"))
        if answer is not None:
            answers[finding] = answer
    data: dict[str, Any] = {
        "on_date": optional(form, "on_date"),
        "answers": answers,
        "time_zone": browser_zone(form),
    }
    for name in ("caffeine_cups", "sleep_hours", "stress", "note"):
        if (value := optional(form, name)) is not None:
            data[name] = value
    return {k: v for k, v in data.items() if v is not None}
