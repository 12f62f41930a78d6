"""The one-page report a person can bring to a doctor (A4 PDF), and the charts beside it.

The page is one matplotlib :class:`~matplotlib.figure.Figure` saved as PDF, so it is always
exactly one page; every list on it is cut to a fixed number of lines ("and 12 more") so that a
long diary never overflows the page.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from twitchcheck.api import Checker
from twitchcheck.diary.charts import draw_episodes, save_charts
from twitchcheck.diary.progression import ProgressionView, progression
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.diary.trends import TrendView, trends
from twitchcheck.diary.triggers import TriggerView, triggers
from twitchcheck.diary.windows import CHECKIN_LIMIT, CHECKIN_LOOKBACK_DAYS, RECENT_DAYS
from twitchcheck.diary.wording import label_of
from twitchcheck.domain import TriageLevel

A4 = (8.27, 11.69)  # inches, portrait
LEFT = 0.06
RIGHT = 0.94
WRAP = 105  # characters per line of 8-point text across the page
LEVEL_COLOURS = {
    TriageLevel.SELF_CARE: "#DDEFD9",
    TriageLevel.ROUTINE: "#E3ECF7",
    TriageLevel.SOON: "#FCEFC7",
    TriageLevel.URGENT: "#F9D5C2",
    TriageLevel.EMERGENCY: "#F4B6B6",
}
DISCLAIMER = (
    "This is not a diagnosis. It is a summary of what the person recorded, with a triage "
    "suggestion from the twitchcheck decision-support tool. Associations with caffeine, sleep "
    "or stress are not proof of a cause. If symptoms are severe or sudden, seek care now."
)
MAX_LOCATIONS = 8
MAX_ANSWERS = 8
MAX_REASON_LINES = 11
#: The disclaimer's top edge: nothing else is written below it.
FOOTER = 0.06


def _wrap(text: str, width: int = WRAP, max_lines: int | None = None) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


class _Page:
    """Writes lines of text down an A4 figure; ``y`` is the next baseline (figure fraction)."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.y = 0.965
        self.line = 0.0135  # 8-point text on A4 (with leading)

    def text(self, s: str, *, size: float = 8, bold: bool = False, x: float = LEFT) -> None:
        self.fig.text(
            x, self.y, s, fontsize=size, fontweight="bold" if bold else "normal", va="top"
        )
        self.y -= self.line * size / 8

    def room(self) -> int:
        """How many more 8-point lines fit above the footer."""
        return max(0, int((self.y - FOOTER) / self.line))

    def heading(self, s: str) -> None:
        self.y -= 0.006
        self.text(s, size=10, bold=True)
        self.y -= 0.002

    def columns(self, cells: Sequence[str], xs: Sequence[float], *, bold: bool = False) -> None:
        for cell, x in zip(cells, xs, strict=True):
            self.fig.text(
                x, self.y, cell, fontsize=8, va="top", fontweight="bold" if bold else "normal"
            )
        self.y -= self.line


def _period(trend: TrendView, prog: ProgressionView) -> str:
    if trend.first_day is None or trend.last_day is None:
        return f"No episodes recorded (checked on {prog.checked_on.isoformat()})."
    n_days = (trend.last_day - trend.first_day).days + 1
    return (
        f"Period covered: {trend.first_day.isoformat()} to {trend.last_day.isoformat()} "
        f"({n_days} days). Checked on {prog.checked_on.isoformat()}."
    )


def render_report(
    store: DiaryStore,
    user: UserRef,
    trend: TrendView,
    trig: TriggerView,
    prog: ProgressionView,
) -> Figure:
    """The one-page report as a Figure (A4 portrait)."""
    kb = store.kb
    fig = Figure(figsize=A4)
    page = _Page(fig)
    page.text("Twitch diary: summary for a doctor", size=16, bold=True)
    page.y -= 0.004
    page.text(_period(trend, prog))
    profile = store.profile(user)
    age = profile.age_on(prog.checked_on)
    who = (
        f"Age {age}, {'sex not given' if profile.sex == 'unknown' else profile.sex}"
        if age is not None and profile.sex
        else "Age and sex not given"
    )
    recorded_days = len(trend.days)
    per_day = trend.total_episodes / recorded_days if recorded_days else 0.0
    page.text(
        f"{who}.  Episodes: {trend.total_episodes} on {recorded_days} days "
        f"({per_day:.1f} per day with twitching), {len(trend.locations)} places."
    )

    # The progression result, prominently: a coloured box with the level and the reason.
    page.y -= 0.008
    top = page.y
    if prog.triage_level is not None and prog.assessment is not None:
        level = TriageLevel(prog.triage_level)
        headline = f"Triage: {prog.assessment.triage.name}"
        colour = LEVEL_COLOURS[level]
    else:
        level = None
        headline = "Triage: not available"
        colour = "#EEEEEE"
    change_word = "Getting worse: " + (
        "yes - " + ", ".join(sorted({c.kind.replace("_", " ") for c in prog.changes}))
        if prog.worsening
        else f"no change found in the last {RECENT_DAYS // 7} weeks"
    )
    reason_lines = _wrap(prog.reason, WRAP - 4, MAX_REASON_LINES)
    height = 0.03 + 0.0135 * (len(reason_lines) + 1) + 0.008
    fig.patches.append(
        FancyBboxPatch(
            (LEFT - 0.01, top - height),
            RIGHT - LEFT + 0.02,
            height,
            boxstyle="round,pad=0.004",
            transform=fig.transFigure,
            facecolor=colour,
            edgecolor="#555555",
            linewidth=1.2,
            figure=fig,
        )
    )
    page.y = top - 0.006
    page.text(headline, size=14, bold=True, x=LEFT + 0.005)
    page.y -= 0.003
    page.text(change_word, bold=True, x=LEFT + 0.005)
    for line in reason_lines:
        page.text(line, x=LEFT + 0.005)
    page.y = top - height - 0.012

    # The trend chart.
    chart_h = 0.22
    ax = fig.add_axes((LEFT + 0.03, page.y - chart_h, RIGHT - LEFT - 0.10, chart_h - 0.025))
    draw_episodes(ax, trend)
    for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
        text.set_fontsize(9)
    ax.tick_params(labelsize=7)
    for other in fig.axes:
        if other is not ax:
            other.tick_params(labelsize=7)
            other.yaxis.label.set_fontsize(9)
    page.y -= chart_h + 0.045

    # Triggers: a small table.
    page.heading("Possible triggers (association, not cause)")
    xs: tuple[float, ...] = (LEFT, LEFT + 0.22, LEFT + 0.32, LEFT + 0.47)
    page.columns(("Factor", "Days", "Rate ratio", "95% interval"), xs, bold=True)
    for e in trig.effects:
        if e.enough_data and e.rate_ratio is not None:
            cells = (
                f"{e.label} (per {e.unit})",
                str(e.days),
                f"{e.rate_ratio:.2f}",
                f"{e.ci_low:.2f} to {e.ci_high:.2f}",
            )
        else:
            cells = (f"{e.label} (per {e.unit})", str(e.days), "-", "not enough data")
        page.columns(cells, xs)
    page.text(
        f"Poisson regression of twitches per day, robust 95% intervals; no estimate from fewer "
        f"than {trig.min_days} days. Days without entries are not counted.",
        size=7,
    )

    # Locations with first-seen dates.
    page.heading("Where the twitching has been")
    xs = (LEFT, LEFT + 0.40, LEFT + 0.56, LEFT + 0.72)
    page.columns(("Place", "First seen", "Last seen", "Episodes"), xs, bold=True)
    # Keep room for the warning-sign section (heading, header row, a few answers).
    shown = trend.locations[: max(1, min(MAX_LOCATIONS, page.room() - 8))]
    for s in shown:
        page.columns(
            (
                s.label + (" (new)" if s.new else ""),
                s.first_seen.isoformat(),
                s.last_seen.isoformat(),
                str(s.episodes),
            ),
            xs,
        )
    if not shown:
        page.text("No places recorded yet.")
    if len(trend.locations) > len(shown):
        page.text(f"... and {len(trend.locations) - len(shown)} more places.")

    # Latest check-in answers on red flags.
    page.heading("Warning signs: latest answers")
    red = {f.id for f in kb.findings if f.red_flag}
    since = prog.checked_on - dt.timedelta(days=CHECKIN_LOOKBACK_DAYS)
    latest: dict[str, tuple[bool, dt.date]] = {}
    for c in store.list_checkins(user, since=since, limit=CHECKIN_LIMIT):
        if c.on_date > prog.checked_on:
            continue
        for fid, yes in c.answers.items():
            if fid in red:
                latest[fid] = (yes, c.on_date)
    ordered = sorted(latest.items(), key=lambda kv: (not kv[1][0], kv[0]))
    xs = (LEFT, LEFT + 0.40, LEFT + 0.56)
    if ordered:
        page.columns(("Sign", "Answer", "On"), xs, bold=True)
        room = page.room()
        fit = min(len(ordered), MAX_ANSWERS, room)
        if fit < len(ordered):  # the "... and N more" line needs a line too
            fit = max(0, min(MAX_ANSWERS, room - 1))
        for fid, (yes, day) in ordered[:fit]:
            page.columns((label_of(kb, fid), "YES" if yes else "no", day.isoformat()), xs)
        if len(ordered) > fit:
            rest = ordered[fit:]
            yes_more = sum(1 for _, (y, _) in rest if y)
            page.text(f"... and {len(rest)} more answers ({yes_more} yes).")
    else:
        page.text(
            f"No warning signs were asked in check-ins in the last {CHECKIN_LOOKBACK_DAYS} days."
        )

    # The disclaimer sits at the foot of the page whatever is above it.
    for i, line in enumerate(_wrap(DISCLAIMER, 120)):
        fig.text(LEFT, 0.045 - i * 0.012, line, fontsize=7, style="italic", va="top")
    fig.text(
        RIGHT,
        0.012,
        f"twitchcheck, knowledge base {kb.version}",
        fontsize=6,
        ha="right",
        color="#666666",
    )
    return fig


def write_report(
    store: DiaryStore,
    user: UserRef,
    checker: Checker,
    out: Path,
    *,
    today: dt.date | None = None,
    record: bool = False,
) -> list[Path]:
    """Write the report: ``out`` ending in ``.pdf`` is the PDF; otherwise a folder (created)
    with the PNG and SVG charts and ``report.pdf``. Returns the paths written.

    ``record=True`` also stores the fresh triage as an assessment (origin "diary").
    """
    today = today or dt.date.today()
    trend = trends(store, user, today=today)
    trig = triggers(store, user)
    prog = progression(store, user, checker, today=today, record=record)
    fig = render_report(store, user, trend, trig, prog)
    if out.suffix.lower() == ".pdf":
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, format="pdf")
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    paths = save_charts(trend, trig, out)
    pdf = out / "report.pdf"
    fig.savefig(pdf, format="pdf")
    return [*paths, pdf]
