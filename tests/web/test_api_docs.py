"""/docs (Swagger UI) and /redoc (ReDoc) in Chromium under the app's CSP (issue 19): the
operations are listed, every request stays on this server, and no CSP violation is reported
(the ``web`` fixture fails the test on any console error or warning)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import Web


def _only_this_server(web: Web) -> None:
    """Every request went to this server: blob: addresses of its own origin (ReDoc's search
    worker) and data: addresses are made in the page and leave nothing."""
    assert web.requests
    for req in web.requests:
        url = req["url"]
        if url.startswith("data:"):
            continue
        parts = urlsplit(url.removeprefix("blob:"))
        assert f"{parts.scheme}://{parts.netloc}" == web.url, req["url"]


@pytest.mark.parametrize("width", [1280, 390])
def test_swagger_ui_lists_the_operations(web: Web, artifacts: Path, width: int) -> None:
    page = web.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(web.url + "/docs")
    page.locator(".opblock-summary-path", has_text="/api/v1/assess").first.wait_for()
    assert page.locator(".opblock").count() > 5
    _only_this_server(web)
    paths = {urlsplit(r["url"]).path for r in web.requests}
    assert {
        "/docs-assets/swagger-ui-bundle.js",
        "/static/docs-swagger.js",
        "/openapi.json",
    } <= paths
    page.screenshot(path=str(artifacts / f"docs-{width}.png"))


@pytest.mark.parametrize("width", [1280, 390])
def test_redoc_lists_the_operations(web: Web, artifacts: Path, width: int) -> None:
    page = web.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(web.url + "/redoc")
    page.get_by_text("/api/v1/assess", exact=True).first.wait_for(state="attached")
    # ReDoc's styles were admitted (by the nonce): its three-panel layout is styled.
    styled = page.evaluate(
        "() => [...document.querySelectorAll('style')].filter(s => s.nonce).length"
    )
    assert styled > 0
    assert page.locator("[data-section-id]").count() > 5
    _only_this_server(web)
    paths = {urlsplit(r["url"]).path for r in web.requests}
    assert {"/docs-assets/redoc.standalone.js", "/static/docs-redoc.js", "/openapi.json"} <= paths
    page.screenshot(path=str(artifacts / f"redoc-{width}.png"))
