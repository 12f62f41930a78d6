"""The nose drawing: every muscle of the knowledge base is drawn, and clicking a part selects
exactly the location findings it stands for (checked in what the page sends to the server)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.web.conftest import Server, Web
from tests.web.pages import click_region, open_app, start_by_clicks, wait_for_screen

# Places on the drawing that are not muscles, and the finding each one selects.
PLACES = {"eyelid": ["twitch_eyelid"], "cheek_mouth": ["twitch_cheek_mouth"]}


@pytest.fixture(scope="module")
def anatomy(server: Server) -> list[dict]:
    muscles = httpx.get(f"{server.url}/api/v1/kb/anatomy").json()
    assert len(muscles) >= 6
    return muscles


@pytest.fixture(scope="module")
def labels(server: Server) -> dict[str, str]:
    return {f["id"]: f["label"] for f in httpx.get(f"{server.url}/api/v1/kb/findings").json()}


def test_every_muscle_is_drawn_and_named(
    web: Web, anatomy: list[dict], labels: dict[str, str]
) -> None:
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page)
    for muscle in anatomy:
        region = page.locator(f"#region-{muscle['id']}")
        assert region.is_visible(), muscle["id"]
        assert region.get_attribute("role") == "checkbox"
        assert region.get_attribute("tabindex") == "0"
        name = region.get_attribute("aria-label")
        assert muscle["name"] in name
        for finding in muscle["findings"]:
            assert labels[finding] in name
        # The drawing shows the muscle's name next to it.
        assert region.locator("text").first.text_content().strip()


@pytest.mark.parametrize(
    "region",
    [
        "nasalis",
        "procerus",
        "depressor_septi_nasi",
        "levator_labii_superioris_alaeque_nasi",
        "depressor_alae_nasi",
        "anomalous_nasi",
        "eyelid",
        "cheek_mouth",
    ],
)
def test_clicking_a_region_selects_its_findings(
    web: Web, region: str, anatomy: list[dict], labels: dict[str, str]
) -> None:
    by_id = {m["id"]: m for m in anatomy}
    expected = set(by_id[region]["findings"]) if region in by_id else set(PLACES[region])
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page)

    click_region(page, region)
    shape = page.locator(f"#region-{region}")
    assert shape.get_attribute("aria-checked") == "true"
    # The muscle (or place) is named, with what it selects, in "You chose" ...
    chosen = page.locator("#chosen-list").inner_text()
    name = by_id[region]["name"] if region in by_id else None
    if name:
        assert name in chosen
        assert name in page.locator("#region-info-text").inner_text()
    for finding in expected:
        assert labels[finding] in chosen
        # ... and the same findings are ticked in the list of complaints.
        assert page.locator(f"#c-{finding}").is_checked()
    ticked = set(
        page.locator("#complaint-list input:checked").evaluate_all("xs => xs.map(x => x.value)")
    )
    assert ticked == expected

    # Clicking again undoes it.
    click_region(page, region)
    assert shape.get_attribute("aria-checked") == "false"
    assert page.locator("#complaint-list input:checked").count() == 0
    click_region(page, region)

    with page.expect_request(lambda r: r.url.endswith("/api/v1/interview/next")) as sent:
        page.get_by_role("button", name="Continue to the questions").click()
    body = sent.value.post_data_json
    present = {e["id"] for e in body["evidence"] if e["choice"] == "present"}
    initial = {e["id"] for e in body["evidence"] if e["initial"]}
    assert present == expected
    assert initial == expected
    wait_for_screen(page)


def test_unticking_a_finding_in_the_list_unselects_the_drawing(web: Web) -> None:
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page)
    click_region(page, "procerus")
    assert page.locator("#region-procerus").get_attribute("aria-checked") == "true"
    page.get_by_label("Search the list of complaints").fill("bridge")
    assert page.locator("#complaint-count").inner_text().startswith("Showing 1 of")
    page.locator("#c-twitch_nose_bridge").uncheck()
    assert page.locator("#region-procerus").get_attribute("aria-checked") == "false"
    assert page.locator("#chosen-empty").is_visible()


def test_nothing_chosen_asks_for_a_place(web: Web) -> None:
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page)
    page.get_by_role("button", name="Continue to the questions").click()
    assert page.get_by_text("Please choose at least one place").is_visible()
    assert page.get_by_role("heading", name="Where does it twitch?").is_visible()


def test_start_form_explains_what_is_missing(web: Web) -> None:
    page = web.page
    open_app(page, web.url)
    page.get_by_role("button", name="Start").click()
    assert page.get_by_text("Please enter your age").is_visible()
    assert page.get_by_label("Your age in years").get_attribute("aria-invalid") == "true"
    assert page.evaluate("() => document.activeElement.id") == "age"
    page.get_by_label("Your age in years").fill("130")
    page.get_by_label("Female", exact=True).check()
    page.get_by_role("button", name="Start").click()
    assert page.get_by_text("Please enter your age").is_visible()
    page.get_by_label("Your age in years").fill("40")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("heading", name="Where does it twitch?").wait_for()


def test_on_a_phone_the_names_are_buttons_under_the_drawing(
    web: Web, anatomy: list[dict], artifacts: Path
) -> None:
    """The drawing hides its small labels on a phone; the page still says "click a part or its
    name", so the names are there as buttons (issue 19), and on a wide screen they are not."""
    page = web.page
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, web.url)
    start_by_clicks(page)
    names = page.locator("#region-names")
    assert names.is_visible()
    assert not page.locator("#face .label").first.is_visible()
    for muscle in anatomy:
        button = names.get_by_role("button", name=muscle["name"], exact=True)
        assert button.is_visible(), muscle["id"]
        assert button.bounding_box()["x"] + button.bounding_box()["width"] <= 390
    button = names.get_by_role("button", name="Nasalis", exact=True)
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert page.locator("#region-nasalis").get_attribute("aria-checked") == "true"
    assert "Nasalis" in page.locator("#chosen-list").inner_text()
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    page.screenshot(path=str(artifacts / "where-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not names.is_visible()
    assert page.locator("#face .label").first.is_visible()
