"""An automated accessibility check (axe-core, WCAG 2.1 A and AA) on every screen of the page.

axe.min.js is read from the local disk (bundled by the PyPI package axe-playwright-python) and
injected by the test; nothing is fetched from the network.
"""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Web
from tests.web.pages import (
    answer_by_clicks,
    axe_violations,
    click_region,
    emergency_by_chest_pain,
    open_app,
    question,
    run_interview_by_clicks,
    start_by_clicks,
    wait_for_screen,
)


def _check(page: Any, where: str, seen: dict[str, list[dict[str, Any]]]) -> None:
    violations = axe_violations(page)
    if violations:
        seen[where] = violations


def test_axe_finds_no_wcag21_aa_violations(web: Web) -> None:
    page = web.page
    found: dict[str, list[dict[str, Any]]] = {}
    open_app(page, web.url)
    _check(page, "start", found)

    # The start form with its error messages showing.
    page.get_by_role("button", name="Start").click()
    _check(page, "start with errors", found)

    start_by_clicks(page, age=45, sex="I would rather not say", fear_als=True)
    click_region(page, "cheek_mouth")  # this path has all three kinds of screen
    page.get_by_label("Search the list of complaints").fill("stress")
    _check(page, "where, searched", found)
    page.get_by_label("Search the list of complaints").fill("")
    page.locator("#complaint-summary").click()
    _check(page, "where, whole list", found)

    page.get_by_role("button", name="Continue to the questions").click()
    types_checked = set()
    screen = wait_for_screen(page)
    while screen == "question":
        q = question(page)
        if q["type"] not in types_checked:
            types_checked.add(q["type"])
            _check(page, f"question {q['type']}", found)
        old = page.locator("#q-title").element_handle()
        answer_by_clicks(page)
        screen = wait_for_screen(page, old)
        if len(types_checked) == 3:
            break
    if screen == "question":
        run_interview_by_clicks(page)
    # Every kind of screen was checked (yes/no, pick one, pick all that apply).
    assert types_checked == {"single", "group_single", "group_multiple"}, types_checked

    # The result with every "Why?" and list opened, so that all of it is checked.
    page.evaluate(
        "() => document.querySelectorAll('#view-result details').forEach(d => { d.open = true; })"
    )
    _check(page, "result", found)
    assert page.locator("#als").is_visible()  # asked for: the person said they fear ALS
    assert not found, found


def test_axe_on_the_emergency_result(web: Web) -> None:
    page = web.page
    emergency_by_chest_pain(page, web.url, "cheek_mouth", age=70, sex="Female")
    page.evaluate(
        "() => document.querySelectorAll('#view-result details').forEach(d => { d.open = true; })"
    )
    violations = axe_violations(page)
    assert not violations, violations


def test_labels_and_focus_order_on_the_start_page(web: Web) -> None:
    """Every control has a visible label, and Tab goes through them in reading order."""
    page = web.page
    open_app(page, web.url)
    order = []
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                "() => { const e = document.activeElement; return e.id || e.getAttribute('value') || e.className; }"
            )
        )
    assert order == ["skip-link", "diary-link", "age", "female", "fear-als", "start-button"]
    # The focused control shows a visible focus indicator.
    page.get_by_label("Your age in years").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_the_axe_check_does_find_problems(web: Web) -> None:
    """The check is real: a control without a name and low-contrast text are reported."""
    page = web.page
    open_app(page, web.url)
    page.evaluate(
        """() => {
          const b = document.createElement('button');
          document.getElementById('start-title').after(b);
          const p = document.createElement('p');
          p.textContent = 'faint text';
          p.className = 'hint';
          p.id = 'faint';
          document.getElementById('start-title').after(p);
          p.style.color = '#cccccc';
        }"""
    )
    found = {v["id"] for v in axe_violations(page)}
    assert {"button-name", "color-contrast"} <= found
