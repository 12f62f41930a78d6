"""Charts (PNG and SVG) and the one-page PDF report."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import numpy as np
import pytest

from twitchcheck.api import Checker, default_checker
from twitchcheck.diary import analysis as an
from twitchcheck.diary.charts import episodes_figure, save_charts, triggers_figure
from twitchcheck.diary.report import write_report
from twitchcheck.diary.schemas import CheckInIn, ProfileIn, parse_episode
from twitchcheck.diary.service import DiaryStore, UserRef

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return default_checker()


def _long_diary(store: DiaryStore, user: UserRef, days: int) -> None:
    """Years of entries in every place, and every red flag answered: the most a page must hold."""
    rng = np.random.default_rng(5)
    locs = store.location_ids
    rows = []
    for i in range(days):
        day = TODAY - dt.timedelta(days=i)
        cups = int(rng.integers(0, 6))
        for k in range(int(rng.poisson(1 + cups / 2))):
            rows.append(
                parse_episode(
                    {
                        "occurred_at": dt.datetime.combine(day, dt.time(6 + k % 16)).isoformat(),
                        # Every place in the early months, the nose lately: a progression
                        # check over a dozen places at once would time the engine, not us.
                        "locations": [locs[(i + k) % len(locs)] if i >= 60 else "twitch_nose"],
                        "duration_seconds": 5 + k,
                        "intensity": (i + k) % 11,
                        "caffeine_cups": cups,
                        "sleep_hours": 5 + (i % 4),
                    }
                )
            )
    store.import_episodes(user, rows)
    red = [f.id for f in store.kb.findings if f.red_flag and f.category != "location"]
    store.add_checkin(
        user, CheckInIn(on_date=TODAY - dt.timedelta(days=40), answers={f: False for f in red})
    )
    # The engine is exact, so its time grows with the number of present findings: a few
    # warning signs answered yes are enough to fill the page.
    yes = ("muscle_weakness", "difficulty_swallowing", "slurred_speech", "muscle_wasting")
    store.add_checkin(
        user,
        CheckInIn(on_date=TODAY - dt.timedelta(days=1), answers={f: f in yes for f in red}),
    )


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def _pdf_text(data: bytes) -> str:
    """The text drawn on the page: matplotlib writes each string as a TJ array of pieces."""
    streams = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    content = b"\n".join(streams)
    lines = [
        b"".join(re.findall(rb"\(((?:\\.|[^\\)])*)\)", m.group(1))).decode("latin-1")
        for m in re.finditer(rb"\[(.*?)\]\s*TJ", content, re.S)
    ]
    text = "\n".join(lines)
    return text.replace("\\(", "(").replace("\\)", ")").replace("\\\\", "\\")


def test_long_diary_report_is_one_page_with_its_sections(
    store: DiaryStore, checker: Checker, tmp_path: Path
) -> None:
    user = store.local_user()
    store.set_profile(user, ProfileIn(birth_year=1970, sex="female"))
    _long_diary(store, user, days=900)
    out = tmp_path / "report.pdf"
    assert write_report(store, user, checker, out, today=TODAY) == [out]
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert _pdf_pages(data) == 1
    text = _pdf_text(data)
    prog = an.progression(store, user, checker, today=TODAY, record=False)
    assert prog.assessment is not None
    for expected in (
        "Twitch diary: summary for a doctor",
        f"Triage: {prog.assessment.triage.name}",
        "This is not a diagnosis.",
        "Possible triggers (association, not cause)",
        "Where the twitching has been",
        "Warning signs: latest answers",
        "Age 56, female",
        "Sleep (per hour)",  # (matplotlib draws "ff" as one glyph: no "Caffeine" here)
    ):
        assert expected in text, expected
    # Every place cannot fit on the page: the rest are counted, not dropped silently.
    assert re.search(r"\.\.\. and \d+ more places\.", text)
    assert re.search(r"\.\.\. and \d+ more answers \(\d+ yes\)\.", text)
    # Writing the report does not store an assessment unless asked to.
    assert store.list_assessments(user) == []


def test_folder_gets_png_and_svg_charts_and_the_pdf(
    store: DiaryStore, checker: Checker, tmp_path: Path
) -> None:
    user = store.local_user()
    _long_diary(store, user, days=30)
    out = tmp_path / "report-folder"
    paths = write_report(store, user, checker, out, today=TODAY, record=True)
    names = sorted(p.name for p in paths)
    assert names == sorted(
        [f"{n}.{e}" for n in ("episodes", "duration_intensity", "triggers") for e in ("png", "svg")]
        + ["report.pdf"]
    )
    for p in paths:
        assert p.parent == out and p.stat().st_size > 1000
        if p.suffix == ".png":
            assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if p.suffix == ".svg":
            assert ET.parse(p).getroot().tag.endswith("svg")
    # Without a profile there is no triage, and the report says why.
    text = _pdf_text((out / "report.pdf").read_bytes())
    assert "Triage: not available" in text and "Age and sex not given" in text
    assert _pdf_pages((out / "report.pdf").read_bytes()) == 1


def test_empty_diary_still_gives_a_one_page_report(
    store: DiaryStore, checker: Checker, tmp_path: Path
) -> None:
    user = store.local_user()
    out = tmp_path / "empty.pdf"
    write_report(store, user, checker, out, today=TODAY)
    text = _pdf_text(out.read_bytes())
    assert _pdf_pages(out.read_bytes()) == 1
    assert "No episodes recorded yet." in text and "No places recorded yet." in text


def test_charts_have_labelled_axes_and_a_plain_note_without_enough_data(
    store: DiaryStore,
) -> None:
    user = store.local_user()
    _long_diary(store, user, days=10)
    trend = an.trends(store, user, today=TODAY)
    trig = an.triggers(store, user)
    fig = episodes_figure(trend)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Date" and ax.get_ylabel() == "Episodes per day"
    assert fig.axes[1].get_ylabel() == "Episodes per week"
    # Bar heights are the daily counts.
    assert sorted(p.get_height() for p in ax.patches) == sorted(d.episodes for d in trend.days)
    note = triggers_figure(trig).axes[0].texts[0].get_text()
    assert note.startswith("Not enough data yet") and str(an.MIN_TRIGGER_DAYS) in note


def test_trigger_chart_draws_each_estimate_with_its_interval() -> None:
    effects = [
        an.effect_for(
            "caffeine_cups",
            [float(i % 5) for i in range(40)],
            [float(1 + i % 5) for i in range(40)],
        ),
        an.effect_for("stress", [1.0] * 5, [1.0] * 5),
    ]
    trig = an.TriggerView(
        min_days=an.MIN_TRIGGER_DAYS, method="m", explanation="e", effects=effects
    )
    ax = triggers_figure(trig).axes[0]
    caffeine = effects[0]
    assert caffeine.enough_data and caffeine.ci_low is not None and caffeine.ci_high is not None
    xs = {tuple(np.round(line.get_xdata(), 9)) for line in ax.lines}
    assert (round(caffeine.ci_low, 9), round(caffeine.ci_high, 9)) in xs
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Caffeine (per cup)"]
    assert ax.get_xscale() == "log"


def test_save_charts_writes_every_file(store: DiaryStore, tmp_path: Path) -> None:
    user = store.local_user()
    paths = save_charts(
        an.trends(store, user, today=TODAY), an.triggers(store, user), tmp_path / "c"
    )
    assert len(paths) == 6 and all(p.exists() for p in paths)


def test_count_charts_have_whole_number_axes(store: DiaryStore) -> None:
    """One twitch a day for three days: matplotlib alone would tick 0.25, 0.5 … episodes."""
    user = store.local_user()
    rows = [
        {
            "occurred_at": f"{TODAY - dt.timedelta(days=d)}T09:00",
            "locations": ["twitch_nose"],
            "duration_seconds": 5,
        }
        for d in range(3)
    ]
    store.import_episodes(user, (parse_episode(r) for r in rows))
    fig = episodes_figure(an.trends(store, user, today=TODAY))
    fig.canvas.draw()
    for axis in fig.axes[:2]:
        low, high = axis.get_ylim()
        ticks = [t for t in axis.get_yticks() if low <= t <= high]
        assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks
