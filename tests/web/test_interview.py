"""A whole interview in a real browser against a real server: by mouse, by keyboard, and the
emergency path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Web
from tests.web.pages import (
    answer_by_clicks,
    answer_by_keyboard,
    click_region,
    emergency_by_chest_pain,
    open_app,
    question,
    result_for_region,
    run_interview_by_clicks,
    start_by_clicks,
    tab_to,
    wait_for_screen,
)


def _check_result_page(page: Any) -> None:
    """What a person must see on any result page, in this order (an emergency's causes and
    advice wait behind "More", which is opened here)."""
    result = page.locator("#view-result")
    assert result.is_visible()
    more = result.locator("#more-details")
    if more.count():
        more.locator(":scope > summary").click()
    # The triage banner comes first, with plain advice and a safety net.
    first = result.locator(":scope > *").first
    assert first.get_attribute("id") == "triage-banner"
    assert first.is_visible()
    assert first.locator(".triage-advice").inner_text().strip()
    assert "Safety net" in first.inner_text()
    # Ranked causes with a probability each, most likely first, each with a "why".
    causes = result.locator("li.cause")
    assert causes.count() >= 5
    probs = [
        float(t.rstrip("%"))
        for t in result.locator("ol.causes > li.cause .prob").all_inner_texts()[:5]
    ]
    assert probs == sorted(probs, reverse=True)
    assert all(0 <= p <= 100 for p in probs)
    top = causes.first
    assert top.locator(".bar-fill").is_visible()
    top.get_by_text("Why?").click()
    assert top.locator(".cause-why p").first.is_visible()
    # What to do now, what a doctor would check, sources as real links.
    assert result.get_by_role("heading", name="What you can do now").is_visible()
    assert result.get_by_role("heading", name="What a doctor may check").is_visible()
    links = result.locator("#sources a[href^='http']")
    assert links.count() >= 1
    # The sources wait behind a disclosure, counted truthfully.
    assert not links.first.is_visible()
    count = result.locator("#sources .source-list > li").count()
    assert f"The statements above cite {count} sources." in result.locator("#sources").inner_text()
    assert result.get_by_role("button", name="Print or save as PDF").is_visible()
    # The banner is above the causes.
    assert first.bounding_box()["y"] < result.locator("#causes").bounding_box()["y"]


def test_whole_interview_by_clicks(web: Web, artifacts: Path) -> None:
    page = web.page
    open_app(page, web.url)
    assert page.get_by_text("Not a diagnosis").first.is_visible()
    assert page.get_by_role("heading", name="Is it an emergency?").is_visible()
    start_by_clicks(page, age=34, sex="Female")

    click_region(page, "nasalis")
    page.get_by_label("Search the list of complaints").fill("coffee")
    page.get_by_label("High caffeine intake").check()
    page.get_by_role("button", name="Continue to the questions").click()

    # The first screen is the safety screen: pick all that apply, or none.
    wait_for_screen(page)
    first = question(page)
    assert first["type"] == "group_multiple"
    assert page.get_by_text("Why I ask").is_visible()
    assert page.locator("#progress-label").inner_text().startswith("Question 1 of up to")

    # Answer it, then go back: the same question is shown again.
    old = page.locator("#q-title").element_handle()
    page.locator("#question-area").get_by_label("None of these").check()
    page.locator("#question-area").get_by_role("button", name="Continue").click()
    wait_for_screen(page, old)
    second = question(page)
    assert second["id"] != first["id"]
    assert page.locator("#progress-label").inner_text().startswith("Question 2 of up to")
    assert page.locator("#progress").evaluate("p => p.value") == 1
    old = page.locator("#q-title").element_handle()
    page.locator("#question-area").get_by_role("button", name="Back").click()
    wait_for_screen(page, old)
    assert question(page)["id"] == first["id"]

    seen = run_interview_by_clicks(page)
    assert seen[0]["id"] == first["id"]
    assert len(seen) >= 2

    _check_result_page(page)
    banner = page.locator("#triage-banner")
    assert banner.get_attribute("data-level") != "emergency"
    # What the person said is echoed back, for a doctor.
    said = page.locator("#answers").inner_text()
    assert "Side of the nose or nostril" in said
    assert "High caffeine intake" in said
    page.screenshot(path=str(artifacts / "result-clicks.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "result-clicks-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print or save as PDF").is_visible()
    assert page.locator("#triage-banner").is_visible()
    page.screenshot(path=str(artifacts / "result-print.png"), full_page=True)


def test_whole_interview_by_keyboard_only(web: Web, artifacts: Path) -> None:
    page = web.page
    open_app(page, web.url)

    # The first Tab reaches the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    tab_to(page, "#age")
    page.keyboard.type("52")
    tab_to(page, "input[name='sex']")
    page.keyboard.press("ArrowDown")  # moves to and selects "Male"
    assert page.locator("input[name='sex']:checked").get_attribute("value") == "male"
    tab_to(page, "#start-button")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Where does it twitch?").wait_for()

    # The drawing: reach the procerus (bridge of the nose) with Tab and choose it with Space.
    tab_to(page, "#region-procerus")
    page.keyboard.press("Space")
    assert page.locator("#region-procerus").get_attribute("aria-checked") == "true"
    assert "Procerus" in page.locator("#chosen-list").inner_text()
    # ... and the eyelid with Enter.
    tab_to(page, "#region-eyelid")
    page.keyboard.press("Enter")
    assert page.locator("#region-eyelid").get_attribute("aria-checked") == "true"
    tab_to(page, "#where-next")
    page.keyboard.press("Enter")

    screen = wait_for_screen(page)
    # Focus moves to each new question, so the next Tab reaches its answers.
    assert page.evaluate("() => document.activeElement.id") == "q-title"
    asked = 0
    went_back = False
    while screen == "question":
        asked += 1
        assert asked <= 40
        old = page.locator("#q-title").element_handle()
        if asked == 2 and not went_back:
            before = question(page)["id"]
            tab_to(page, "#q-back")
            page.keyboard.press("Enter")
            wait_for_screen(page, old)
            assert question(page)["id"] != before
            went_back = True
            asked = 0
            old = page.locator("#q-title").element_handle()
        answer_by_keyboard(page)
        screen = wait_for_screen(page, old)
    assert went_back

    # Focus moves to the result's heading (inside the triage banner).
    assert page.evaluate("() => document.activeElement.id") == "result-title"
    _check_result_page(page)
    said = page.locator("#answers").inner_text()
    assert "Bridge of the nose" in said and "Eyelid or around the eye" in said
    page.screenshot(path=str(artifacts / "result-keyboard.png"), full_page=True)


def test_emergency_path_shows_the_emergency_banner_first(web: Web, artifacts: Path) -> None:
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page, age=67, sex="Male")
    click_region(page, "nasalis")
    page.get_by_role("button", name="Continue to the questions").click()
    wait_for_screen(page)
    assert question(page)["type"] == "group_multiple"
    # Hold the final /assess request, to see what shows while the result is on its way.
    held: list[Any] = []
    page.route("**/api/v1/assess", lambda route: held.append(route))
    area = page.locator("#question-area")
    area.get_by_label("Sudden trouble speaking").check()
    area.get_by_role("button", name="Continue").click()

    # At once: an alert that says emergency, at the top of the page, before any result.
    now = page.locator("#emergency-now")
    now.wait_for()
    assert now.get_attribute("role") == "alert"
    assert "emergency services" in now.inner_text().lower()
    assert 0 <= now.bounding_box()["y"] < 200
    assert page.evaluate("() => document.activeElement.id") == "emergency-now"
    page.wait_for_function(
        "() => document.getElementById('main').getAttribute('aria-busy') === 'true'"
    )
    for _ in range(200):  # the held request reaches the test a moment later
        if held:
            break
        page.wait_for_timeout(25)
    assert len(held) == 1
    assert page.locator("#view-result").is_hidden()
    held[0].continue_()

    assert wait_for_screen(page) == "result"
    banner = page.locator("#triage-banner")
    assert banner.get_attribute("data-level") == "emergency"
    assert banner.get_attribute("role") == "alert"
    assert banner.inner_text().upper().startswith("EMERGENCY")
    # It is the first thing in view: the result is the first visible part of the page's main
    # area, the banner is its first element, and it starts near the top of the screen.
    shown = page.evaluate(
        "() => [...document.querySelectorAll('#main > *')]"
        ".filter(e => e.getBoundingClientRect().height > 2).map(e => e.id)"
    )
    assert shown and shown[0] == "view-result", shown
    box = banner.bounding_box()
    assert 0 <= box["y"] < 200
    assert page.evaluate("() => document.activeElement.id") == "result-title"
    # Only the emergency shows: what to do now and what to tell the call handler; the causes
    # and the advice wait, closed, behind "More".
    told = banner.locator(".call-handler").inner_text()
    assert "When it started" in told and "sudden trouble speaking" in told.lower()
    more = page.locator("#more-details")
    assert more.evaluate("d => d.tagName") == "DETAILS" and not more.evaluate("d => d.open")
    for hidden in ("#causes", "#self-care", "#doctor"):
        assert not page.locator(hidden).is_visible(), hidden
    assert "More: possible causes and advice" in more.locator(":scope > summary").inner_text()
    page.screenshot(path=str(artifacts / "result-emergency.png"))
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the emergency fills it
    assert 0 <= banner.bounding_box()["y"] < 200
    page.screenshot(path=str(artifacts / "result-emergency-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    _check_result_page(page)
    assert "sudden trouble speaking" in page.locator("#red-flags").inner_text().lower()


def test_a_warning_sign_and_its_onset_come_one_after_the_other(web: Web) -> None:
    """The safety screen holds "Trouble breathing" but never its narrower "Breathless at rest"
    beside it (contracts §6: never a finding with its implied parent on one screen); a yes brings
    the narrower question as a follow-up, and a yes to that gives the emergency result."""
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page, age=58, sex="Female")
    click_region(page, "procerus")
    page.get_by_role("button", name="Continue to the questions").click()
    wait_for_screen(page)
    area = page.locator("#question-area")
    assert area.get_by_label("Trouble breathing", exact=True).count() == 1
    assert area.get_by_label("Breathless at rest", exact=True).count() == 0
    old = page.locator("#q-title").element_handle()
    answer_by_clicks(page, safety=["Trouble breathing"])
    assert wait_for_screen(page, old) == "question"
    assert question(page)["id"] == "breathless_at_rest"
    old = page.locator("#q-title").element_handle()
    answer_by_clicks(page, single="present")
    assert wait_for_screen(page, old) == "result"
    assert page.locator("#error-box").is_hidden()
    assert page.locator("#triage-banner").get_attribute("data-level") == "emergency"
    assert "breathless at rest" in page.locator(".call-handler").inner_text().lower()
    page.locator("#more-details > summary").click()  # the rest waits behind "More"
    said = page.locator("#answers").inner_text()
    assert "Breathless at rest" in said


def test_change_my_last_answer_goes_back_from_the_result(web: Web) -> None:
    page = web.page
    emergency_by_chest_pain(page, web.url, "depressor_septi_nasi", age=41, sex="Female")
    area = page.locator("#question-area")

    page.get_by_role("button", name="Change my last answer").click()
    assert page.locator("#view-question").is_visible()
    assert question(page)["type"] == "group_multiple"
    assert not page.get_by_role("alert").filter(has_text="Emergency").count()
    area.get_by_label("None of these").check()
    area.get_by_role("button", name="Continue").click()
    run_interview_by_clicks(page)
    assert page.locator("#triage-banner").get_attribute("data-level") != "emergency"


def test_a_yes_no_question_offers_yes_no_dont_know_and_back(web: Web) -> None:
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page, age=36, sex="Female")
    click_region(page, "cheek_mouth")
    page.get_by_role("button", name="Continue to the questions").click()
    screen = wait_for_screen(page)
    while screen == "question" and question(page)["type"] != "single":
        old = page.locator("#q-title").element_handle()
        answer_by_clicks(page)
        screen = wait_for_screen(page, old)
    if screen == "result":
        pytest.skip("the knowledge base asked no yes/no question on this path")
    area = page.locator("#question-area")
    buttons = area.get_by_role("button").all_inner_texts()
    assert buttons[:3] == ["Yes", "No", "I don't know"]
    assert "Back" in buttons[-1]
    assert area.locator(".why").inner_text().startswith("Why I ask")
    before = question(page)
    old = page.locator("#q-title").element_handle()
    with page.expect_request(lambda r: r.url.endswith("/api/v1/interview/next")) as sent:
        area.get_by_role("button", name="I don't know").click()
    item = [e for e in sent.value.post_data_json["evidence"] if e["id"] == before["id"]]
    assert item and item[0]["choice"] == "unknown"
    wait_for_screen(page, old)


def test_save_to_my_diary_keeps_the_result_in_the_diary(web: Web) -> None:
    """The result's "Save to my diary" stores the assessment (single-user server)."""
    page = web.page
    result_for_region(page, web.url, "depressor_septi_nasi", age=41, sex="Female")
    level = page.locator("#triage-banner").get_attribute("data-level")
    before = page.request.get(f"{web.url}/api/v1/diary/assessments").json()
    page.get_by_role("button", name="Save to my diary").click()
    page.get_by_role("status").filter(has_text="Saved to your diary").wait_for()
    after = page.request.get(f"{web.url}/api/v1/diary/assessments").json()
    assert len(after) == len(before) + 1
    newest = after[0]
    assert newest["origin"] == "manual" and newest["triage"] == level
    present = [i["id"] for i in newest["evidence"]["evidence"] if i["choice"] == "present"]
    assert present, newest["evidence"]
    assert newest["result"]["triage"]["level"] == level
