"""Your own words on the web page (issue 17): a text box, "Here is what we understood" chips
the person corrects (remove, change to no), red flags still confirmed, pre-filled, on the safety
screen; by keyboard; the text never reaches the server's logs. Real Chromium."""

from __future__ import annotations

from tests.web.conftest import Server, Web
from tests.web.pages import (
    axe_violations,
    open_app,
    question,
    run_interview_by_clicks,
    start_by_clicks,
    tab_to,
    wait_for_screen,
)

TEXT = (
    "Flumbo here, I'm a 52-year-old man: my nostril twitches since Tuesday, like 6 coffees a "
    "day, my face dropped"
)


def _read_words(web: Web) -> None:
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page, age=41, sex="Male")
    page.get_by_label("What is happening? Use your own words").fill(TEXT)
    page.get_by_role("button", name="Read my words").click()
    page.get_by_role("heading", name="Here is what we understood").wait_for()


def test_chips_can_be_corrected_and_red_flags_are_confirmed(web: Web, server: Server) -> None:
    page = web.page
    _read_words(web)
    chips = page.locator("#words-chips li")
    found = {chips.nth(i).get_attribute("data-finding") for i in range(chips.count())}
    assert {"twitch_nose_side", "duration_under_2_weeks", "high_caffeine_intake"} <= found
    assert "facial_droop" in found
    assert "check this with you" in page.locator("li[data-finding='facial_droop']").inner_text()
    # an age and sex in the words are offered, never used
    assert "52, male" in page.locator("#words-about").inner_text()
    # remove one, change another to no
    page.get_by_role("button", name="Remove: Started under 2 weeks ago").click()
    page.get_by_role("button", name="Change to no: High caffeine intake").click()
    assert page.locator("li[data-finding='duration_under_2_weeks']").count() == 0
    assert "no" in page.locator("li[data-finding='high_caffeine_intake']").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Continue to the questions").click()
    wait_for_screen(page)
    q = question(page)
    assert q["id"] == "safety_screen"
    # the red flag the text mentioned is pre-filled, not yet answered
    assert page.locator("#o-facial_droop").is_checked()
    first = web.api_bodies("/api/v1/interview/next")[0]
    sent = {e["id"]: e["choice"] for e in first["evidence"]}
    assert sent.get("twitch_nose_side") == "present"
    assert sent.get("high_caffeine_intake") == "absent"
    assert "duration_under_2_weeks" not in sent and "facial_droop" not in sent
    # the text went to /parse only
    assert [b["text"] for b in web.api_bodies("/api/v1/parse")] == [TEXT]
    assert all("text" not in b for b in web.api_bodies("/api/v1/interview/next"))
    page.locator("#o-facial_droop").uncheck()
    page.locator("#question-area").get_by_label("None of these").check()
    page.locator("#question-area").get_by_role("button", name="Continue").click()
    run_interview_by_clicks(page)
    assert page.locator("#triage-banner").is_visible()
    logged = "\n".join(server.logs.lines)
    assert "/api/v1/parse" in logged
    for word in ("Flumbo", "nostril", "coffees", "Tuesday"):
        assert word not in logged


def test_the_words_box_works_by_keyboard(web: Web) -> None:
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page, age=41, sex="Male")
    tab_to(page, "#words-text")
    page.keyboard.type("maybe some tingling, no weakness")
    tab_to(page, "#words-read")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Here is what we understood").wait_for()
    assert "not sure" in page.locator("li[data-finding='tingling_numbness']").inner_text()
    tab_to(page, "#words-chips button.chip-remove")
    page.keyboard.press("Enter")
    assert page.locator("#words-chips li").count() == 1
