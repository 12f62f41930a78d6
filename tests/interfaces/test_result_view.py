"""The assessment in a terminal (issue 19): short by default, only the emergency in an
emergency, the rest with --all, the sources with --sources; and the terminal interview's prompts
(q quits everywhere, an out-of-range number says so) in a real pseudo-terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
from rich.console import Console

import twitchcheck
from twitchcheck.api import default_checker
from twitchcheck.interfaces.result_view import render_assessment
from twitchcheck.results import Assessment

from ..conftest import VIGNETTES

CASES = [json.loads(line) for line in VIGNETTES.open() if line.strip()]
SRC = str(Path(twitchcheck.__file__).resolve().parents[1])
#: The terminal the short view must fit above its sources line.
ROWS, COLS = 45, 80


def _assess(case: dict[str, Any]) -> Assessment:
    return default_checker().assess(
        age=case["age"],
        sex=case["sex"],
        present=case["present"],
        absent=case["absent"],
        initial=case["initial"],
    )


def _text(a: Assessment, **options: bool) -> str:
    out = io.StringIO()
    render_assessment(Console(file=out, width=COLS, color_system=None), a, **options)
    return out.getvalue()


def _lines_above_sources(text: str) -> list[str]:
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "--sources" in line)
    return lines[:at]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_short_view_fits_45_by_80(case: dict[str, Any]) -> None:
    a = _assess(case)
    text = _text(a)
    above = _lines_above_sources(text)
    assert len(above) <= ROWS, f"{len(above)} lines above the sources"
    assert all(len(line) <= COLS for line in text.splitlines())
    # Every box is whole: no row cut off at the right edge.
    rows = [line for line in text.splitlines() if line.startswith(("│", "┃", "┏", "┡", "└", "╭"))]
    assert all(line.rstrip()[-1] in "│┃┓┩┘╮" for line in rows), rows
    assert "http" not in text  # no addresses unless --sources
    assert f"cites {len(a.sources)} sources" in text
    assert a.triage.name.upper() in text  # the banner is on screen
    if a.triage.level == "emergency":
        assert "Likely causes" not in text and "What you can do now" not in text
        assert "Tell the call handler" in text and "When it started" in text
        assert "--all" in text
    else:
        assert "Likely causes" in text and "Safety net" in text
        shown = [c.name for c in a.causes[:5]]
        assert all(name[:15] in text for name in shown)
        # Each with its chance, on its own row (no column squeezed away at 80 columns).
        for c in a.causes[:5]:
            chance = f"{c.probability:.0%}" if c.probability >= 0.01 else f"{c.probability:.1%}"
            table = text[text.index("Likely causes") :].splitlines()
            row = next(line for line in table if c.name[:15] in line)
            assert f" {chance} " in row, (c.name, row)
        assert a.causes[5].name not in text
        assert "Treatments that may be offered" not in text


def test_emergency_all_shows_causes_and_advice() -> None:
    case = next(c for c in CASES if _assess(c).triage.level == "emergency")
    a = _assess(case)
    text = _text(a, show_all=True)
    assert "Likely causes" in text and "Tell the call handler" in text
    assert all(c.name[:15] in text for c in a.causes)


def test_all_shows_every_cause_and_sources_lists_them() -> None:
    a = _assess(CASES[0])
    text = _text(a, show_all=True, list_sources=True)
    assert all(c.name[:15] in text for c in a.causes)
    assert "Treatments that may be offered" in text
    assert all(s.url[:60] in text.replace("\n", "") or s.id in text for s in a.sources)


def test_command_line_with_columns_80() -> None:
    """`twitchcheck assess` itself, with COLUMNS=80 as a real terminal would set it."""
    case = CASES[0]
    argv = [sys.executable, "-m", "twitchcheck", "assess", "--age", str(case["age"])]
    argv += ["--sex", case["sex"], "--yes", ",".join(case["present"])]
    argv += ["--no", ",".join(case["absent"])]
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": str(COLS), "LINES": str(ROWS), "PYTHONPATH": SRC}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True, timeout=120)
    above = _lines_above_sources(done.stdout)
    assert len(above) <= ROWS
    assert max(len(line) for line in done.stdout.splitlines()) <= COLS


def _spawn() -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "twitchcheck", "interview"],
        encoding="utf-8",
        timeout=60,
        dimensions=(ROWS, COLS),
        env={
            **{"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            "TERM": "xterm",
            "COLUMNS": str(COLS),
            "PYTHONPATH": SRC,
        },
    )


def _to_first_screen(child: pexpect.spawn) -> None:
    child.expect("safety questions may add one or two")  # the header: the length, truthfully
    child.expect("How old are you")
    child.sendline("30")
    child.expect("Sex:")
    child.sendline("f")
    child.expect("Search")
    child.sendline("nose")
    child.expect("Numbers")
    child.sendline("99")  # out of range: said so
    child.expect("99 is not in the list: choose numbers from 1 to")
    child.expect("Search")
    child.sendline("nose")
    child.expect("Numbers")
    child.sendline("1")
    child.expect("So far")
    child.expect("Search")
    child.sendline("")


@pytest.mark.parametrize("where", ["age", "sex", "search", "numbers", "screen"])
def test_q_quits_at_every_prompt(where: str) -> None:
    child = _spawn()
    steps = {
        "age": [("How old are you", "q")],
        "sex": [("How old are you", "30"), ("Sex:", "q")],
        "search": [("How old are you", "30"), ("Sex:", "f"), ("Search", "q")],
        "numbers": [("How old are you", "30"), ("Sex:", "f"), ("Search", "nose"), ("Numbers", "q")],
    }
    if where == "screen":
        _to_first_screen(child)
        child.expect(r"\[b\]ack:")
        child.sendline("q")
    else:
        for prompt, reply in steps[where]:
            child.expect(prompt)
            child.sendline(reply)
    child.expect("Stopped. Nothing was saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1


def test_out_of_range_choice_on_a_screen_says_so() -> None:
    child = _spawn()
    _to_first_screen(child)
    index = child.expect(
        [
            r"Numbers of all that apply .*\[b\]ack:",
            r"Pick one number.*\[b\]ack:",
            r"\[y\]es, \[n\]o",
        ]
    )
    if index == 2:
        child.sendline("maybe")
        child.expect(r"Please answer y, n, \? or b \(q quits\)")
    else:
        child.sendline("42")
        child.expect("42 is not in the list: choose numbers from 1 to")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
