"""What a person does on the page, by mouse or by keyboard only (shared by the browser tests)."""

from __future__ import annotations

from typing import Any

# What the tests answer in the interview, by screen type.
NO = "absent"

RESULT_OR_NEW_QUESTION = """
(old) => {
  const result = document.getElementById('view-result');
  const busy = document.getElementById('main').getAttribute('aria-busy') === 'true';
  if (!result.hidden) return true;
  return !busy && (!old || !old.isConnected) && !!document.querySelector('#view-question:not([hidden]) #q-title');
}
"""


def open_app(page: Any, url: str) -> None:
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='true']")


def start_by_clicks(page: Any, age: int = 34, sex: str = "Female", fear_als: bool = False) -> None:
    page.get_by_label("Your age in years").fill(str(age))
    page.get_by_label(sex, exact=True).check()
    if fear_als:
        page.get_by_label("I am worried it could be ALS").check()
    page.get_by_role("button", name="Start").click()
    page.get_by_role("heading", name="Where does it twitch?").wait_for()


def click_region(page: Any, region: str) -> None:
    """Click the first shape of a part of the drawing, as a person would."""
    page.locator(f"#region-{region} .shape").first.click()


def wait_for_screen(page: Any, old: Any = None) -> str:
    """Wait until a new question or the result is on screen; return 'question' or 'result'."""
    page.wait_for_function(RESULT_OR_NEW_QUESTION, arg=old)
    return "result" if page.locator("#view-result").is_visible() else "question"


def question(page: Any) -> dict[str, str]:
    area = page.locator("#question-area")
    return {
        "id": area.get_attribute("data-question") or "",
        "type": area.get_attribute("data-type") or "",
        "text": page.locator("#q-title").inner_text(),
    }


def answer_by_clicks(page: Any, *, single: str = NO, safety: list[str] | None = None) -> None:
    """Answer the question on screen with the mouse: 'No' (or ``single``) to yes/no questions,
    the first option of a pick-one question, ``safety`` labels (or 'None of these') on the
    safety screen."""
    q = question(page)
    area = page.locator("#question-area")
    if q["type"] == "single":
        label = {"present": "Yes", "absent": "No", "unknown": "I don't know"}[single]
        area.get_by_role("button", name=label, exact=True).click()
    elif q["type"] == "group_single":
        area.get_by_role("radio").first.check()
        area.get_by_role("button", name="Continue").click()
    else:
        for label in safety or ["None of these"]:
            area.get_by_label(label, exact=True).check()
        area.get_by_role("button", name="Continue").click()


def run_interview_by_clicks(page: Any, limit: int = 40, **answers: Any) -> list[dict[str, str]]:
    """Answer every question until the result shows; return the questions seen."""
    seen: list[dict[str, str]] = []
    screen = wait_for_screen(page)
    while screen == "question":
        seen.append(question(page))
        assert len(seen) <= limit, f"the interview did not end after {limit} questions: {seen}"
        old = page.locator("#q-title").element_handle()
        answer_by_clicks(page, **answers)
        screen = wait_for_screen(page, old)
    return seen


def result_for_region(page: Any, url: str, region: str, *, age: int, sex: str) -> None:
    """Open the app, start, pick one nose region and answer "no" until the result shows."""
    open_app(page, url)
    start_by_clicks(page, age=age, sex=sex)
    click_region(page, region)
    page.get_by_role("button", name="Continue to the questions").click()
    run_interview_by_clicks(page)


def emergency_by_chest_pain(page: Any, url: str, region: str, *, age: int, sex: str) -> None:
    """Open the app, pick ``region``, tick "Chest pain" on the safety screen: the emergency result."""
    open_app(page, url)
    start_by_clicks(page, age=age, sex=sex)
    click_region(page, region)
    page.get_by_role("button", name="Continue to the questions").click()
    wait_for_screen(page)
    area = page.locator("#question-area")
    area.get_by_label("Chest pain").check()
    area.get_by_role("button", name="Continue").click()
    assert wait_for_screen(page) == "result"
    assert page.locator("#triage-banner").get_attribute("data-level") == "emergency"


# -- keyboard only -------------------------------------------------------------------------------
ACTIVE_MATCHES = (
    "(selector) => !!document.activeElement && document.activeElement.matches(selector)"
)


def tab_to(page: Any, selector: str, limit: int = 120) -> int:
    """Press Tab until the focused element matches ``selector``; return the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_MATCHES, selector):
            return presses
    raise AssertionError(f"Tab never reached {selector!r} in {limit} presses")


def focused(page: Any) -> str:
    return str(
        page.evaluate(
            "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : ''"
        )
    )


def answer_by_keyboard(page: Any) -> None:
    """Answer the question on screen with Tab, Space and Enter only."""
    q = question(page)
    if q["type"] == "single":
        tab_to(page, "#question-area button[data-choice='absent']")
        page.keyboard.press("Enter")
    elif q["type"] == "group_single":
        tab_to(page, "#question-area input[type='radio']")
        page.keyboard.press("Space")
        tab_to(page, "#question-area button[data-choice='continue']")
        page.keyboard.press("Enter")
    else:
        tab_to(page, "#o-none")
        page.keyboard.press("Space")
        tab_to(page, "#question-area button[data-choice='continue']")
        page.keyboard.press("Enter")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: axe's landmark rules (best practice, not WCAG tags): no two landmarks with the same label.
AXE_LANDMARK_RULES = [
    "landmark-unique",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core, read from the local disk (the PyPI package axe-playwright-python bundles
    axe.min.js) and injected by the test, against WCAG 2.1 A and AA and the landmark rules (no
    duplicate landmark labels); return the violations."""
    from axe_playwright_python.base import AXE_FILE_PATH

    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    landmarks = page.evaluate(
        "(rules) => axe.run(document, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']})",
        AXE_LANDMARK_RULES,
    )
    result["violations"] += landmarks["violations"]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
