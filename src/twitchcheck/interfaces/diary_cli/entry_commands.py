"""``diary add``, ``diary checkin``, ``diary profile``: what the person records."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.markup import escape

from twitchcheck.errors import RecordError
from twitchcheck.interfaces.cli_common import out_console, split_values
from twitchcheck.interfaces.diary_cli.common import (
    finding_label,
    open_diary,
    parse_date,
    print_entry_json,
    renamed,
)

#: The option each stored field comes from, so an error names what the person typed.
EPISODE_OPTIONS = {
    "occurred_at": "--when",
    "locations": "--where",
    "side": "--side",
    "duration_seconds": "--seconds",
    "intensity": "--intensity",
    "caffeine_cups": "--caffeine",
    "sleep_hours": "--sleep",
    "stress": "--stress",
    "exercise": "--exercise",
    "alcohol_units": "--alcohol",
    "medicines": "--medicine",
    "medicine_changed": "--medicine-changed",
    "note": "--note",
    "time_zone": "--time-zone",
}
CHECKIN_OPTIONS = {
    "on_date": "--date",
    "answers": "--yes/--no",
    "caffeine_cups": "--caffeine",
    "sleep_hours": "--sleep",
    "stress": "--stress",
    "note": "--note",
    "time_zone": "--time-zone",
}
PROFILE_OPTIONS = {"birth_year": "--birth-year", "sex": "--sex", "time_zone": "--time-zone"}
#: The zone option of ``add`` and ``checkin``. Without it, the computer's own zone is stored
#: (see twitchcheck.diary.time_zones.machine_zone); when that cannot be named, none is.
ZoneOption = Annotated[
    str | None,
    typer.Option(
        "--time-zone",
        help="The time zone you were in, e.g. Europe/Berlin (default: this computer's zone; "
        "none is stored when it cannot be named).",
    ),
]


def entry_zone(given: str | None) -> str | None:
    from twitchcheck.diary.time_zones import machine_zone

    if given is not None:
        return given
    found = machine_zone()
    if found is None:  # on standard error: --json output stays clean
        typer.echo(
            "This computer's time zone has no IANA name (e.g. Europe/Berlin): the entry is "
            "stored without one. Give it with --time-zone.",
            err=True,
        )
    return found


def parse_when(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now().replace(second=0, microsecond=0)
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise RecordError(
            [("--when", f"'{value}' is not a date and time (use 'YYYY-MM-DD HH:MM')")]
        ) from None


def add_cmd(
    ctx: typer.Context,
    where: Annotated[
        list[str],
        typer.Option(
            "--where",
            help="Where it twitched: location ids, comma-separated or repeated "
            "(e.g. twitch_nose,twitch_eyelid).",
        ),
    ],
    seconds: Annotated[float, typer.Option("--seconds", help="How long it lasted, in seconds.")],
    when: Annotated[
        str | None,
        typer.Option("--when", help="When it started, 'YYYY-MM-DD HH:MM' (default: now)."),
    ] = None,
    side: Annotated[str, typer.Option(help="left, right, both or unknown.")] = "unknown",
    intensity: Annotated[
        int | None, typer.Option(help="How strong, 0 (barely) to 10 (strongest).")
    ] = None,
    caffeine: Annotated[float | None, typer.Option(help="Cups of coffee or tea that day.")] = None,
    sleep: Annotated[float | None, typer.Option(help="Hours slept the night before.")] = None,
    stress: Annotated[int | None, typer.Option(help="Stress that day, 0 to 10.")] = None,
    exercise: Annotated[
        bool | None, typer.Option("--exercise/--no-exercise", help="Hard exercise that day?")
    ] = None,
    alcohol: Annotated[float | None, typer.Option(help="Units of alcohol that day.")] = None,
    medicine: Annotated[
        list[str] | None, typer.Option("--medicine", help="A medicine taken (repeatable).")
    ] = None,
    medicine_changed: Annotated[
        bool | None,
        typer.Option("--medicine-changed", help="A medicine was started, stopped or changed."),
    ] = None,
    note: Annotated[str | None, typer.Option(help="A short note.")] = None,
    time_zone: ZoneOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the stored entry as JSON.")
    ] = False,
) -> None:
    """Record one twitching episode."""
    from twitchcheck.diary.schemas import parse_episode

    data: dict[str, Any] = {
        "occurred_at": parse_when(when),
        "locations": split_values(where),
        "side": side,
        "duration_seconds": seconds,
        "intensity": intensity,
        "caffeine_cups": caffeine,
        "sleep_hours": sleep,
        "stress": stress,
        "exercise": exercise,
        "alcohol_units": alcohol,
        "medicines": [m.strip() for m in medicine or [] if m.strip()],
        "medicine_changed": medicine_changed,
        "note": note,
        "time_zone": entry_zone(time_zone),
    }
    store, user = open_diary(ctx)
    try:
        entry = parse_episode(data)
        store.check_episode(entry)
    except RecordError as exc:
        raise renamed(exc, EPISODE_OPTIONS) from None
    saved = store.add_episode(user, entry)
    if as_json:
        print_entry_json(saved.model_dump(mode="json"))
        return
    places = ", ".join(finding_label(store, loc) for loc in saved.locations)
    strength = f", intensity {saved.intensity}/10" if saved.intensity is not None else ""
    out_console().print(
        f"Saved episode {saved.id}: {saved.occurred_at:%Y-%m-%d %H:%M}, {escape(places)} "
        f"({saved.side}), {saved.duration_seconds:g} s{strength}."
    )


def checkin_cmd(
    ctx: typer.Context,
    date: Annotated[
        str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")
    ] = None,
    yes: Annotated[
        list[str] | None,
        typer.Option("--yes", "-y", help="Findings you have now (ids, comma-separated)."),
    ] = None,
    no: Annotated[
        list[str] | None,
        typer.Option("--no", "-n", help="Findings you checked and do not have."),
    ] = None,
    caffeine: Annotated[float | None, typer.Option(help="Cups of coffee or tea that day.")] = None,
    sleep: Annotated[float | None, typer.Option(help="Hours slept the night before.")] = None,
    stress: Annotated[int | None, typer.Option(help="Stress that day, 0 to 10.")] = None,
    note: Annotated[str | None, typer.Option(help="A short note.")] = None,
    time_zone: ZoneOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored check-in.")] = False,
) -> None:
    """Answer the warning signs (weakness, swallowing, speech ...) yes or no for a day."""
    from twitchcheck.diary.schemas import parse_checkin

    present, absent = split_values(yes), split_values(no)
    both = sorted(set(present) & set(absent))
    if both:
        raise RecordError([("--yes/--no", f"answered both yes and no: {', '.join(both)}")])
    answers = {fid: True for fid in present} | {fid: False for fid in absent}
    data: dict[str, Any] = {
        "on_date": parse_date(date, "--date") or dt.date.today(),
        "answers": answers,
        "caffeine_cups": caffeine,
        "sleep_hours": sleep,
        "stress": stress,
        "note": note,
        "time_zone": entry_zone(time_zone),
    }
    store, user = open_diary(ctx)
    try:
        entry = parse_checkin(data)
        store.check_checkin(entry)
    except RecordError as exc:
        raise renamed(exc, CHECKIN_OPTIONS) from None
    saved = store.add_checkin(user, entry)
    if as_json:
        print_entry_json(saved.model_dump(mode="json"))
        return
    n_yes = sum(saved.answers.values())
    out_console().print(
        f"Saved check-in {saved.id} for {saved.on_date}: {n_yes} yes, "
        f"{len(saved.answers) - n_yes} no."
    )
    if n_yes:
        out_console().print(
            "Run [bold]twitchcheck diary status[/bold] to see what this means for you."
        )


def profile_cmd(
    ctx: typer.Context,
    birth_year: Annotated[int | None, typer.Option(help="Year of birth, e.g. 1990.")] = None,
    sex: Annotated[
        str | None,
        typer.Option(
            help="female, male, other or unknown (prefer not to say; used by the engine)."
        ),
    ] = None,
    time_zone: Annotated[
        str | None,
        typer.Option(
            "--time-zone",
            help="The zone you live in, e.g. Europe/Berlin: the export's zone for entries "
            "stored without one.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show or set the birth year and sex that the diary's re-triage uses (and your zone)."""
    from pydantic import ValidationError

    from twitchcheck.diary.schemas import ProfileIn, problems_of

    store, user = open_diary(ctx)
    current = store.profile(user)
    if birth_year is not None or sex is not None or time_zone is not None:
        data: dict[str, Any] = {
            "birth_year": birth_year if birth_year is not None else current.birth_year,
            "sex": sex if sex is not None else current.sex,
        }
        missing = [
            (PROFILE_OPTIONS[k], "needed (none stored yet)") for k, v in data.items() if v is None
        ]
        if missing:
            raise RecordError(missing)
        if time_zone is not None:  # left out, the stored zone is kept
            data["time_zone"] = time_zone
        try:
            wanted = ProfileIn.model_validate(data)
        except ValidationError as exc:
            raise renamed(RecordError(problems_of(exc)), PROFILE_OPTIONS) from None
        current = store.set_profile(user, wanted)
    if as_json:
        print_entry_json(current.model_dump(mode="json"))
        return
    if current.birth_year is None or current.sex is None:
        out_console().print(
            "No profile yet. Set it with [bold]twitchcheck diary profile --birth-year YYYY "
            "--sex female|male|other|unknown[/bold]: the re-triage needs your age and sex."
        )
        return
    zone = f" Time zone {current.time_zone}." if current.time_zone else ""
    out_console().print(f"Born {current.birth_year}, {current.sex}.{zone}")
