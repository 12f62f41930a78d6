"""Privacy and self-containment: no health data in URLs, storage or logs; every asset local; no
inline script or style (the page runs under the app's strict CSP)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx

from tests.web.conftest import Server, Web
from tests.web.pages import (
    click_region,
    open_app,
    result_for_region,
    run_interview_by_clicks,
    start_by_clicks,
)

SECRET_FINDINGS = ["twitch_nose_side", "high_caffeine_intake", "poor_sleep"]


def test_answers_travel_in_post_bodies_only(web: Web, server: Server) -> None:
    page = web.page
    open_app(page, web.url)
    start_by_clicks(page, age=29, sex="Other", fear_als=True)
    click_region(page, "nasalis")
    page.get_by_label("Search the list of complaints").fill("caffeine")
    page.get_by_label("High caffeine intake").check()
    page.get_by_label("Search the list of complaints").fill("sleep")
    page.get_by_label("Poor sleep").check()
    page.get_by_role("button", name="Continue to the questions").click()
    run_interview_by_clicks(page)
    assert page.locator("#triage-banner").is_visible()

    # The address never changes and carries nothing.
    assert page.url == web.url + "/"
    assert page.evaluate("() => location.search + location.hash") == ""

    # Every request went to this server; none had a query string; answers went in POST bodies.
    assert web.requests
    for req in web.requests:
        parts = urlsplit(req["url"])
        assert f"{parts.scheme}://{parts.netloc}" == web.url, req["url"]
        assert not parts.query and not parts.fragment, req["url"]
        for secret in [*SECRET_FINDINGS, "29"]:
            assert secret not in parts.path, req["url"]
        if req["method"] == "GET":
            assert parts.path == "/" or parts.path.startswith(("/static/", "/api/v1/kb/")), req[
                "url"
            ]
        else:
            assert req["method"] == "POST"
            assert parts.path in {"/api/v1/interview/next", "/api/v1/assess"}
    bodies = web.api_bodies("/api/v1/assess")
    assert len(bodies) == 1
    sent = {e["id"] for e in bodies[0]["evidence"] if e["choice"] == "present"}
    assert set(SECRET_FINDINGS) <= sent
    assert (
        bodies[0]["age"] == 29 and bodies[0]["sex"] == "other" and bodies[0]["concerns"] == ["als"]
    )

    # Nothing is kept in the browser.
    kept = page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
    assert kept == [0, 0, ""]
    assert page.context.cookies() == []

    # Nothing personal in the server's logs: method, path and status only.
    logged = "\n".join(server.logs.lines)
    assert "/api/v1/assess" in logged
    for secret in SECRET_FINDINGS:
        assert secret not in logged


def test_start_again_forgets_everything(web: Web) -> None:
    page = web.page
    result_for_region(page, web.url, "procerus", age=50, sex="Male")
    page.get_by_role("button", name="Start again").click()
    assert page.get_by_role("heading", name="My nose keeps twitching. Why?").is_visible()
    assert page.get_by_label("Your age in years").input_value() == ""
    start_by_clicks(page, age=50, sex="Male")
    assert page.locator("#region-procerus").get_attribute("aria-checked") == "false"
    assert page.locator("#chosen-empty").is_visible()


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.assets: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "style" in a:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems += [f"{k} handler on <{tag}>" for k in a if k.startswith("on")]
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            if not a.get("src"):
                self.problems.append("inline <script>")
            else:
                self.assets.append(a["src"] or "")
        if tag in {"link", "img"}:
            self.assets.append(a.get("href") or a.get("src") or "")


def test_page_has_no_inline_code_and_only_local_assets(server: Server) -> None:
    res = httpx.get(server.url + "/")
    assert res.status_code == 200
    csp = res.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert res.headers["cache-control"] == "no-store"
    audit = _Audit()
    audit.feed(res.text)
    assert not audit.problems, audit.problems
    assert audit.assets
    for asset in audit.assets:
        assert asset.startswith("/static/"), asset
        got = httpx.get(server.url + asset)
        assert got.status_code == 200, asset
    for name, kind in [
        ("app.js", "javascript"),
        ("app.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
    ]:
        got = httpx.get(f"{server.url}/static/{name}")
        assert got.status_code == 200 and kind in got.headers["content-type"]
    css = httpx.get(server.url + "/static/app.css").text
    # No fonts or images from elsewhere.
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", css)
    js = httpx.get(server.url + "/static/app.js").text
    # The script talks to its own server only (the SVG namespace is a name, not a request).
    assert set(re.findall(r"https?://[^'\"\s)]+", js)) <= {"http://www.w3.org/2000/svg"}
    assert httpx.get(server.url + "/static/../routes.py").status_code == 404


def test_assets_come_from_the_installed_package() -> None:
    from importlib.resources import files

    web = files("twitchcheck.interfaces.web")
    for name in ["templates/index.html", "static/app.js", "static/app.css", "static/favicon.svg"]:
        assert web.joinpath(name).is_file(), name
