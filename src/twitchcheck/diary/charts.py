"""The diary's charts, drawn with matplotlib's object-oriented API (no pyplot, no global state).

Each ``draw_*`` function draws into axes it is given (the one-page report reuses them); each
``*_figure`` function returns a new :class:`~matplotlib.figure.Figure`; :func:`save_charts`
writes them all as PNG and SVG.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, NullLocator

from twitchcheck.diary.trends import TrendView
from twitchcheck.diary.triggers import TriggerView

BAR_COLOUR = "#4C78A8"
LINE_COLOUR = "#E45756"
INTERVAL_COLOUR = "#333333"
CHART_SIZE = (8.0, 4.5)
NICE_RATIOS = (0.1, 0.2, 0.33, 0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, 5, 10)


def _date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    )


def _dates(days: Sequence[dt.date]) -> npt.NDArray[np.datetime64]:
    return np.array(days, dtype="datetime64[D]")


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])


def draw_episodes(
    ax: Axes, trend: TrendView, *, title: str = "Twitches per day and per week"
) -> None:
    """Bars: episodes per day; line (right axis): episodes per week."""
    ax.set_title(title, fontsize=11, loc="left")
    if not trend.days:
        _empty(ax, "No episodes recorded yet.")
        return
    days = [d.day for d in trend.days]
    span = (days[-1] - days[0]).days + 1
    # Wide bars on a short diary; hairline bars on years of it, so bars never overlap.
    width = 0.8 if span <= 120 else 1.0
    ax.bar(
        _dates(days),
        [d.episodes for d in trend.days],
        width=width,
        color=BAR_COLOUR,
        label="per day",
    )
    ax.set_ylabel("Episodes per day")
    ax.set_xlabel("Date")
    _date_axis(ax)
    weekly = ax.twinx()
    centres = [w.week_start + dt.timedelta(days=3) for w in trend.weeks]
    weekly.plot(
        _dates(centres),
        [w.episodes for w in trend.weeks],
        color=LINE_COLOUR,
        marker="o" if len(centres) <= 60 else None,
        markersize=3,
        linewidth=1.5,
        label="per week",
    )
    weekly.set_ylabel("Episodes per week", color=LINE_COLOUR)
    weekly.tick_params(axis="y", colors=LINE_COLOUR)
    weekly.set_ylim(bottom=0)
    ax.set_ylim(bottom=0)
    # Counts: whole-number ticks only (no "2.5 episodes").
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    weekly.yaxis.set_major_locator(MaxNLocator(integer=True))
    handles = ax.get_legend_handles_labels()[0] + weekly.get_legend_handles_labels()[0]
    # Above the plot, right of the title: never over the bars.
    ax.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=2,
        fontsize=8,
        frameon=False,
        borderaxespad=0.2,
    )


def draw_duration_intensity(ax: Axes, trend: TrendView) -> None:
    """Total twitching time per day (bars) and the day's mean intensity (points, right axis)."""
    ax.set_title("How long and how strong", fontsize=11, loc="left")
    if not trend.days:
        _empty(ax, "No episodes recorded yet.")
        return
    days = [d.day for d in trend.days]
    ax.bar(_dates(days), [d.duration_seconds / 60 for d in trend.days], color=BAR_COLOUR, width=0.8)
    ax.set_ylabel("Minutes of twitching per day")
    ax.set_xlabel("Date")
    _date_axis(ax)
    strong = ax.twinx()
    pts = [(d.day, d.mean_intensity) for d in trend.days if d.mean_intensity is not None]
    if pts:
        strong.plot(
            _dates([p[0] for p in pts]),
            [p[1] for p in pts],
            linestyle="none",
            marker="o",
            markersize=3,
            color=LINE_COLOUR,
        )
    strong.set_ylim(0, 10.5)
    strong.set_ylabel("Mean intensity (0-10)", color=LINE_COLOUR)
    strong.tick_params(axis="y", colors=LINE_COLOUR)
    ax.set_ylim(bottom=0)


def draw_triggers(ax: Axes, trig: TriggerView) -> None:
    """Each factor's rate ratio with its 95% interval on a log scale, or a plain note."""
    ax.set_title("Possible triggers (association, not cause)", fontsize=11, loc="left")
    known = [e for e in trig.effects if e.enough_data and e.rate_ratio is not None]
    if not known:
        _empty(
            ax,
            f"Not enough data yet to look for triggers\n(at least {trig.min_days} days with "
            "caffeine, sleep or stress recorded).",
        )
        return
    labels = [f"{e.label} (per {e.unit})" for e in known]
    ys = list(range(len(known)))[::-1]
    for y, e in zip(ys, known, strict=True):
        assert e.ci_low is not None and e.ci_high is not None and e.rate_ratio is not None
        ax.plot([e.ci_low, e.ci_high], [y, y], color=INTERVAL_COLOUR, linewidth=2)
        ax.plot([e.rate_ratio], [y], marker="o", color=LINE_COLOUR, markersize=7)
    ax.axvline(1.0, color="#888888", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_yticks(ys, labels)
    ax.set_ylim(-0.7, len(known) - 0.3)
    ax.set_xlabel("Rate ratio with 95% interval (1 = no link; right = more twitches)")
    lows = [e.ci_low for e in known if e.ci_low]
    highs = [e.ci_high for e in known if e.ci_high]
    lo, hi = min([*lows, 0.8]), max([*highs, 1.25])
    left, right = lo / 1.15, hi * 1.15
    ax.set_xlim(left, right)
    # Plain numbers (0.8, 1, 1.25), not powers of ten: the reader is not a statistician.
    ticks = [t for t in NICE_RATIOS if left <= t <= right]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])


def episodes_figure(trend: TrendView) -> Figure:
    fig = Figure(figsize=CHART_SIZE, layout="constrained")
    draw_episodes(fig.add_subplot(), trend)
    return fig


def duration_intensity_figure(trend: TrendView) -> Figure:
    fig = Figure(figsize=CHART_SIZE, layout="constrained")
    draw_duration_intensity(fig.add_subplot(), trend)
    return fig


def triggers_figure(trig: TriggerView) -> Figure:
    fig = Figure(figsize=(8.0, 3.5), layout="constrained")
    draw_triggers(fig.add_subplot(), trig)
    return fig


def save_charts(trend: TrendView, trig: TriggerView, out_dir: Path) -> list[Path]:
    """Write each chart as PNG and SVG into ``out_dir`` (created); returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, fig in (
        ("episodes", episodes_figure(trend)),
        ("duration_intensity", duration_intensity_figure(trend)),
        ("triggers", triggers_figure(trig)),
    ):
        for ext in ("png", "svg"):
            path = out_dir / f"{name}.{ext}"
            fig.savefig(path, dpi=120 if ext == "png" else None)
            paths.append(path)
    return paths
