"""Issue 20: the diary page sends the browser's own IANA zone (a real Chromium set to
Asia/Tokyo, whatever the machine running the test is set to) with each entry."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Server
from tests.web.test_diary_pages import add_episode, start_empty


def test_an_episode_saved_in_the_page_keeps_the_browsers_zone(server: Server, browser: Any) -> None:
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        start_empty(page, server.url)
        zones = page.locator("input.browser-time-zone")
        assert zones.count() == 3
        assert {zones.nth(i).input_value() for i in range(3)} == {"Asia/Tokyo"}
        add_episode(page, "Nose twitch", "4")
        stored = page.request.get(server.url + "/api/v1/diary/episodes").json()
        assert [e["time_zone"] for e in stored] == ["Asia/Tokyo"]
    finally:
        context.close()
