"""The diary pages in a real Chromium: entry forms, timeline, re-triage, report download, axe,
and sign-up / sign-in / sign-out in multi-user mode.

The single-user server is shared by the session, so each test starts by deleting all diary data
through the page's own "delete all my data" form.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Server, Web
from tests.web.pages import axe_violations
from twitchcheck.domain import TriageLevel


def open_diary(page: Any, url: str) -> None:
    page.goto(url + "/diary")
    page.wait_for_selector("body[data-ready='true']")


def start_empty(page: Any, url: str) -> None:
    open_diary(page, url)
    page.get_by_label("I understand: delete everything in my diary").check()
    page.get_by_role("button", name="Delete all my data").click()
    page.wait_for_selector("#saved-message")
    assert "deleted" in page.locator("#saved-message").inner_text()


def add_episode(page: Any, where: str, seconds: str, strength: str = "") -> None:
    form = page.locator("#add-episode")
    form.get_by_label(where, exact=True).check()
    form.get_by_label("How long did it last, in seconds?").fill(seconds)
    if strength:
        form.get_by_label("How strong, from 0 (barely) to 10 (very strong)?").fill(strength)
    form.get_by_role("button", name="Save the episode").click()
    page.wait_for_selector("#saved-message")


def set_profile(page: Any, year: str, sex: str) -> None:
    form = page.locator("#profile")
    form.get_by_label("Year of birth").fill(year)
    form.get_by_label(sex, exact=True).check()
    form.get_by_role("button", name="Save").click()
    page.wait_for_selector("#saved-message")


def level_shown(page: Any) -> TriageLevel:
    banner = page.locator("#progression-result")
    assert banner.is_visible()
    return TriageLevel(banner.get_attribute("data-level"))


def test_an_episode_added_through_the_form_shows_in_the_timeline(web: Web) -> None:
    page = web.page
    start_empty(page, web.url)
    assert "Nothing in your diary yet" in page.locator("#timeline").inner_text()
    add_episode(page, "Eyelid or around the eye", "37.5", "6")
    assert "Saved" in page.locator("#saved-message").inner_text()
    rows = page.locator("#timeline .episode-row")
    assert rows.count() == 1
    text = rows.first.inner_text()
    assert "Eyelid or around the eye" in text and "37.5 s" in text and "6" in text
    # Triggers are explained in lay words; the statistical method stays in the docs.
    body = page.locator("body").inner_text()
    assert "How to read this" in body and "Poisson" not in body and "sandwich" not in body
    # The trend chart is the SVG endpoint, and it loaded.
    img = page.locator("#trends img").first
    assert img.get_attribute("src").endswith(".svg")
    page.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=img.element_handle())


def test_errors_are_shown_next_to_the_field_and_nothing_is_stored(web: Web) -> None:
    page = web.page
    web.allow.append("status of 422")  # the page with the errors is answered 422 on purpose
    start_empty(page, web.url)
    form = page.locator("#add-episode")
    form.get_by_label("Nose twitch", exact=True).check()
    form.get_by_label("How long did it last, in seconds?").fill("-3")
    form.get_by_label("How strong, from 0 (barely) to 10 (very strong)?").fill("14")
    form.get_by_role("button", name="Save the episode").click()
    page.wait_for_selector("#form-errors")
    assert page.locator("#duration_seconds").get_attribute("aria-invalid") == "true"
    # In plain words, never the validator's own text (issue 19).
    assert page.locator("#duration_seconds-error").inner_text() == "Enter a number above 0."
    assert page.locator("#intensity-error").inner_text() == "Enter a number of 10 or less."
    assert page.locator("#timeline .episode-row").count() == 0
    # The values typed are kept so they can be corrected.
    assert page.locator("#add-episode").get_by_label("Nose twitch", exact=True).is_checked()
    violations = axe_violations(page)
    assert not [v for v in violations if v["impact"] in ("serious", "critical")], violations


def test_the_timeline_fits_a_phone(web: Web, artifacts: Path) -> None:
    """At 390 px each row is a card: the Delete button is on screen, nothing scrolls sideways."""
    page = web.page
    page.set_viewport_size({"width": 390, "height": 844})
    start_empty(page, web.url)
    add_episode(page, "Eyelid or around the eye", "12", "4")
    page.locator("#add-episode").get_by_label("Nose twitch", exact=True).check()
    add_episode(page, "Side of the nose or nostril", "3")
    rows = page.locator("#timeline .episode-row")
    assert rows.count() == 2
    for i in range(2):
        button = rows.nth(i).get_by_role("button", name="Delete")
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        label = (
            rows.nth(i)
            .locator("td[data-label='How long']")
            .evaluate("td => getComputedStyle(td, '::before').content")
        )
        assert "How long: " in label, label  # each value says what it is
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= 390, wide
    page.locator("#timeline").screenshot(path=str(artifacts / "diary-timeline-phone.png"))


def test_no_place_chosen_says_so_plainly(web: Web) -> None:
    page = web.page
    web.allow.append("status of 422")
    start_empty(page, web.url)
    form = page.locator("#add-episode")
    form.get_by_label("How long did it last, in seconds?").fill("5")
    form.get_by_role("button", name="Save the episode").click()
    page.wait_for_selector("#form-errors")
    text = page.locator("#form-errors").inner_text() + page.locator("#add-episode").inner_text()
    assert "Choose at least one place." in text
    assert "should" not in text and "validation" not in text and "Field required" not in text


def test_the_profile_offers_the_checkers_sexes(web: Web) -> None:
    page = web.page
    open_diary(page, web.url)
    form = page.locator("#profile")
    for label in ("Female", "Male", "Other", "I would rather not say"):
        assert form.get_by_label(label, exact=True).count() == 1, label
    set_profile(page, "1980", "I would rather not say")
    assert form.get_by_label("I would rather not say", exact=True).is_checked()


def test_a_weakness_check_in_raises_the_level_shown(web: Web) -> None:
    page = web.page
    start_empty(page, web.url)
    set_profile(page, "1970", "Female")
    add_episode(page, "Nose twitch", "20", "3")
    before = level_shown(page)
    checkin = page.locator("#checkin")
    checkin.get_by_role(
        "radio", name="Has weakness been getting worse over weeks or months? Yes"
    ).check()
    checkin.get_by_role("button", name="Save the check-in").click()
    page.wait_for_selector("#saved-message")
    after = level_shown(page)
    assert after.rank > before.rank, (before, after)
    reason = page.locator("#progression-reason").inner_text()
    assert reason.strip()
    # Shown prominently: first section, a heading-sized title.
    assert page.locator("main section").first.get_attribute("id") == "progression"


def test_the_report_pdf_downloads(web: Web) -> None:
    page = web.page
    start_empty(page, web.url)
    add_episode(page, "Nose twitch", "12")
    with page.expect_download() as info:
        page.locator("#download-report").click()
    download = info.value
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")


def test_axe_on_the_diary_page(web: Web) -> None:
    page = web.page
    start_empty(page, web.url)
    set_profile(page, "1985", "Male")
    add_episode(page, "Nose twitch", "15", "2")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    violations = axe_violations(page)
    assert not [v for v in violations if v["impact"] in ("serious", "critical")], violations


def test_the_diary_works_without_javascript(server: Server, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url + "/diary")
        form = page.locator("#add-episode")
        form.get_by_label("Tongue twitching", exact=True).check()
        form.get_by_label("How long did it last, in seconds?").fill("41")
        form.get_by_role("button", name="Save the episode").click()
        page.wait_for_selector("#saved-message")
        assert "Tongue twitching" in page.locator("#timeline").inner_text()
    finally:
        context.close()


def test_the_checker_links_to_the_diary(web: Web) -> None:
    page = web.page
    page.goto(web.url + "/")
    page.get_by_role("link", name="My twitch diary").click()
    page.wait_for_url("**/diary")
    assert page.get_by_role("heading", name="My twitch diary").is_visible()


# -- multi-user ----------------------------------------------------------------------------------
@pytest.fixture
def multi_page(multi_server: Server, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def test_register_sign_in_and_out(multi_page: Any, multi_server: Server) -> None:
    page = multi_page
    url = multi_server.url
    name = f"u{uuid.uuid4().hex[:10]}"
    page.goto(url + "/diary")
    page.wait_for_url("**/login")
    violations = axe_violations(page)
    assert not [v for v in violations if v["impact"] in ("serious", "critical")], violations

    page.get_by_role("link", name="Create an account").first.click()
    page.wait_for_url("**/register")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("The same password again").fill("short")
    page.get_by_role("button", name="Create my account").click()
    assert "10 characters" in page.locator("#password-error").inner_text()
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("The same password again").fill("a long enough passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/diary?saved=welcome")
    assert name in page.locator(".signed-in").inner_text()
    add_episode(page, "Nose twitch", "9")
    assert page.locator("#timeline .episode-row").count() == 1

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login?done=logout")
    page.goto(url + "/diary")
    page.wait_for_url("**/login")

    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill("a wrong passphrase!")
    page.get_by_role("button", name="Sign in").click()
    assert "Wrong user name or password" in page.locator("#form-error").inner_text()
    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/diary")
    assert page.locator("#timeline .episode-row").count() == 1  # the diary is still there
    violations = axe_violations(page)
    assert not [v for v in violations if v["impact"] in ("serious", "critical")], violations


def test_save_to_my_diary_when_signed_in_sends_the_csrf_token(
    multi_page: Any, multi_server: Server
) -> None:
    """Multi-user: the checker's "Save to my diary" asks to sign in first, then stores the
    assessment under the signed-in user (a cookie write, so it must carry the CSRF token)."""
    from tests.web.pages import result_for_region

    page = multi_page
    url = multi_server.url

    def reach_result() -> None:
        result_for_region(page, url, "depressor_septi_nasi", age=52, sex="Male")

    reach_result()
    page.get_by_role("button", name="Save to my diary").click()
    page.get_by_role("status").filter(has_text="Please sign in").wait_for()

    name = f"s{uuid.uuid4().hex[:10]}"
    page.goto(url + "/register")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("The same password again").fill("a long enough passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/diary?saved=welcome")

    reach_result()
    page.get_by_role("button", name="Save to my diary").click()
    page.get_by_role("status").filter(has_text="Saved to your diary").wait_for()
    mine = page.request.get(f"{url}/api/v1/diary/assessments").json()
    assert len(mine) == 1 and mine[0]["origin"] == "manual"
    # Without the token the same cookie write is refused.
    refused = page.request.post(
        f"{url}/api/v1/diary/assessments",
        data={"age": 52, "sex": "male", "evidence": []},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert refused.status == 403
    assert len(page.request.get(f"{url}/api/v1/diary/assessments").json()) == 1


def test_saving_while_signed_out_keeps_the_result_through_sign_in(
    multi_page: Any, multi_server: Server
) -> None:
    """Issue 19: "Save to my diary" while signed out keeps the request in this tab's own storage
    (nothing reaches the server before sign-in); signing in from the link brings the result back
    and saves it, and the tab's copy is then gone."""
    from tests.web.pages import result_for_region

    page = multi_page
    url = multi_server.url
    name = f"k{uuid.uuid4().hex[:10]}"
    # An account to sign in to (registered, then signed out).
    page.goto(url + "/register")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("The same password again").fill("a long enough passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/diary?saved=welcome")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login?done=logout")

    result_for_region(page, url, "nasalis", age=41, sex="Female")
    level = page.locator("#triage-banner").get_attribute("data-level")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.get_by_role("button", name="Save to my diary").click()
    page.get_by_role("status").filter(has_text="saved once you have signed in").wait_for()
    kept = page.evaluate("() => sessionStorage.getItem('twitchcheck.pending-save')")
    assert kept and '"age":41' in kept
    assert not [u for u in posts if u.endswith("/login")]  # nothing sent to sign in yet

    page.get_by_role("link", name="sign in").click()
    page.wait_for_url("**/login?next=checker")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("status").filter(has_text="Saved to your diary").wait_for()
    assert page.locator("#triage-banner").get_attribute("data-level") == level
    assert page.evaluate("() => [sessionStorage.length, location.hash]") == [0, ""]
    mine = page.request.get(f"{url}/api/v1/diary/assessments").json()
    assert len(mine) == 1 and mine[0]["evidence"]["age"] == 41
