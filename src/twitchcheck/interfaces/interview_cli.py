"""The interactive interview in a terminal (``twitchcheck interview``, or no arguments).

Asks age and sex, lets the person pick what they noticed first from a searchable list, then asks
one screen at a time (yes / no / don't know / back) with progress, and ends with the same result
view as ``assess``. ``--answers FILE`` replays answers from a JSON file for scripting.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from twitchcheck import results as r
from twitchcheck.api import Checker, evidence_sets
from twitchcheck.domain import DEFAULT_MAX_QUESTIONS, MAX_AGE, MIN_AGE, Choice, Sex, TriageLevel
from twitchcheck.errors import InputError, ValueRangeError
from twitchcheck.interfaces.result_view import render_assessment

Ask = Callable[[str], str]

YES = {"y", "yes"}
NO = {"n", "no"}
UNSURE = {"?", "d", "dk", "don't know", "dont know", "not sure", "u", "unknown"}
BACK = {"b", "back"}
QUIT = {"q", "quit"}


class Quit(Exception):
    """The person chose to stop (or input ended)."""


def _ask(console: Console) -> Ask:
    def ask(prompt: str) -> str:
        try:
            return console.input(escape(prompt)).strip()
        except EOFError:
            raise Quit from None

    return ask


def quitting(ask: Ask) -> Ask:
    """``ask`` where q (or quit) stops the interview at every prompt."""

    def ask_or_quit(prompt: str) -> str:
        raw = ask(prompt)
        if raw.strip().lower() in QUIT:
            raise Quit
        return raw

    return ask_or_quit


def out_of_range(tokens: list[str], n: int) -> str | None:
    """What is wrong with picked numbers, in words ("7 is not in the list: choose 1 to 4")."""
    bad = [t for t in tokens if not (t.isdigit() and 1 <= int(t) <= n)]
    if not bad:
        return None
    what = ", ".join(bad)
    verb = "is" if len(bad) == 1 else "are"
    return f"{what} {verb} not in the list: choose numbers from 1 to {n}."


def ask_age(console: Console, ask: Ask) -> int:
    while True:
        raw = ask("How old are you (in whole years)? ")
        if raw.isdigit() and MIN_AGE <= int(raw) <= MAX_AGE:
            return int(raw)
        console.print(f"Please type a whole number from {MIN_AGE} to {MAX_AGE}.")


def ask_sex(console: Console, ask: Ask) -> Sex:
    options = {"f": Sex.FEMALE, "m": Sex.MALE, "o": Sex.OTHER, "u": Sex.UNKNOWN, "": Sex.UNKNOWN}
    while True:
        raw = ask("Sex: [f]emale, [m]ale, [o]ther, or press Enter to skip: ").lower()
        if raw in options:
            return options[raw]
        for sex in Sex:
            if raw == sex.value:
                return sex
        console.print("Please type f, m or o, press Enter to skip, or q to quit.")


def ask_initial(console: Console, ask: Ask, checker: Checker) -> list[str]:
    """A searchable list: type words, pick numbers; Enter when done."""
    kb = checker.kb
    chosen: list[str] = []
    console.print(
        "\n[bold]What did you notice first?[/bold] Type a word to search (for example "
        "[italic]nose[/italic], [italic]eyelid[/italic], [italic]weak[/italic]), then pick numbers, "
        "or tell it in your own words (for example [italic]my nostril has twitched since Tuesday"
        "[/italic]). Press Enter on an empty line when you are done."
    )
    while True:
        term = ask("Search or describe (Enter to finish): ").lower()
        if not term:
            if chosen:
                return chosen
            console.print("Please choose at least one thing you noticed.")
            continue
        if len(term.split()) >= 3 and understood(console, checker, term, chosen):
            continue
        hits = [
            f
            for f in kb.findings
            if f.asked_by == "person"
            and (term in f.label.lower() or term in f.id or term in f.question.lower())
        ][:12]
        if not hits:
            console.print("Nothing matched; try another word.")
            continue
        for n, f in enumerate(hits, start=1):
            mark = " (chosen)" if f.id in chosen else ""
            console.print(f"  {n}. {escape(f.label)}{mark}")
        picks = ask("Numbers (e.g. 1,3), or Enter to search again: ")
        tokens = [t for t in picks.replace(" ", ",").split(",") if t]
        problem = out_of_range(tokens, len(hits))
        if problem:
            console.print(problem)
        for token in tokens:
            if token.isdigit() and 1 <= int(token) <= len(hits):
                fid = hits[int(token) - 1].id
                if fid not in chosen:
                    chosen.append(fid)
        if chosen:
            console.print("So far: " + ", ".join(escape(kb.finding(f).label) for f in chosen))


def understood(console: Console, checker: Checker, sentence: str, chosen: list[str]) -> bool:
    """A sentence in the person's own words: what it says is present joins ``chosen``; warning
    signs are still asked on the safety screen; whether anything was understood."""
    try:
        parsed = checker.text.parse(sentence)
    except InputError as exc:
        console.print(escape(exc.message))
        return True
    kb = checker.kb
    found = [f for f in parsed["findings"] if f["choice"] == "present"]
    if not found:
        return False
    console.print("[bold]Here is what I understood:[/bold]")
    for f in found:
        if f["id"] in checker.red_flags:
            console.print(f"  • {escape(kb.finding(f['id']).label)} (I will check this next)")
        else:
            console.print(f"  • {escape(kb.finding(f['id']).label)}")
            if f["id"] not in chosen:
                chosen.append(f["id"])
    return True


def ask_screen(console: Console, ask: Ask, step: r.InterviewStep) -> list[r.EvidenceItem] | None:
    """One screen; returns the answers, or None for "back"."""
    q = step.question
    assert q is not None
    done, cap = step.progress.answered, step.progress.max_questions
    filled = min(20, round(20 * done / max(1, cap)))
    console.print(
        f"\n[dim]Question {done + 1} of up to {cap} (safety questions may add one or two)  "
        f"{'█' * filled}{'░' * (20 - filled)}[/dim]"
    )
    console.print(f"[bold]{escape(q.text)}[/bold]")
    console.print(f"[dim]Why I ask: {escape(q.rationale)}[/dim]")
    ids = [i.id for i in q.items]
    if q.type == "single":
        while True:
            raw = ask("[y]es, [n]o, [?] don't know, [b]ack: ").lower()
            if raw in BACK:
                return None
            if raw in YES | NO | UNSURE:
                choice = (
                    Choice.PRESENT if raw in YES else Choice.ABSENT if raw in NO else Choice.UNKNOWN
                )
                return [r.EvidenceItem(id=ids[0], choice=choice)]
            console.print("Please answer y, n, ? or b (q quits).")
    for n, item in enumerate(q.items, start=1):
        console.print(f"  {n}. {escape(item.label)}")
    if q.type == "group_single":
        prompt = "Pick one number, [?] don't know, [b]ack: "
    else:
        prompt = "Numbers of all that apply (e.g. 1,4), [0] none of these, [?] don't know, [b]ack: "
    while True:
        raw = ask(prompt).lower()
        if raw in BACK:
            return None
        if raw in UNSURE:
            return [r.EvidenceItem(id=i, choice=Choice.UNKNOWN) for i in ids]
        tokens = [t for t in raw.replace(" ", ",").split(",") if t]
        if q.type == "group_multiple" and tokens == ["0"]:
            return [r.EvidenceItem(id=i, choice=Choice.ABSENT) for i in ids]
        problem = out_of_range(tokens, len(ids))
        if problem:
            console.print(problem)
            continue
        if tokens:
            picked = {ids[int(t) - 1] for t in tokens}
            if q.type == "group_single" and len(picked) != 1:
                console.print("Please pick just one.")
                continue
            return [
                r.EvidenceItem(id=i, choice=Choice.PRESENT if i in picked else Choice.ABSENT)
                for i in ids
            ]
        console.print("Please answer with the numbers shown, ? or b (q quits).")


def run_interactive(
    checker: Checker,
    console: Console,
    ask: Ask | None = None,
    max_questions: int = DEFAULT_MAX_QUESTIONS,
    *,
    show_all: bool = False,
    list_sources: bool = False,
) -> int:
    ask = quitting(ask or _ask(console))
    console.print(
        "[bold]twitchcheck[/bold]: why does it twitch? This is decision support, not a diagnosis.\n"
        "[bold red]If your face droops suddenly, you cannot speak properly or you struggle to "
        "breathe, call emergency services now.[/bold red]\n"
        f"Usually up to {max_questions} questions; safety questions may add one or two. "
        "Type q at any prompt to quit (Ctrl+D also works).\n"
    )
    try:
        age = ask_age(console, ask)
        sex = ask_sex(console, ask)
        initial = ask_initial(console, ask, checker)
        evidence = [r.EvidenceItem(id=f, choice=Choice.PRESENT, initial=True) for f in initial]
        history: list[int] = []  # evidence length before each screen, for "back"
        while True:
            step = checker.next_question(
                age=age, sex=sex, evidence=evidence, max_questions=max_questions
            )
            if step.triage.level == TriageLevel.EMERGENCY:
                console.print(
                    "[bold white on red] EMERGENCY [/bold white on red] "
                    + escape(step.triage.advice)
                )
            if step.should_stop or step.question is None:
                break
            answers = ask_screen(console, ask, step)
            if answers is None:
                if history:
                    del evidence[history.pop() :]
                else:
                    console.print("This is the first question; there is nothing to go back to.")
                continue
            history.append(len(evidence))
            known = {e.id for e in evidence}
            evidence += [a for a in answers if a.id not in known]
    except Quit:
        console.print("\nStopped. Nothing was saved.")
        return 1
    present, absent, _unknown, init = evidence_sets(evidence)
    result = checker.assess(age=age, sex=sex, present=present, absent=absent, initial=init)
    console.print()
    render_assessment(
        console,
        result,
        show_all=show_all,
        list_sources=list_sources,
        labels=checker.finding_labels,
    )
    return 0


def run_from_file(
    checker: Checker, path: Path, max_questions: int = DEFAULT_MAX_QUESTIONS
) -> r.Assessment:
    """Replay an interview from a JSON file (see docs/interview.md for the format)."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"No answers file at {path}.") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON: {exc.msg} (line {exc.lineno}).") from None
    if not isinstance(data, dict):
        raise InputError(f"{path} must hold one JSON object.")
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        raise ValueRangeError("'answers' must map question or finding ids to answers.")
    age, sex = data.get("age"), data.get("sex", "unknown")
    if isinstance(age, bool) or not isinstance(age, int):
        raise ValueRangeError(f"'age' must be a whole number of years; got {age!r}.")
    initial = list(data.get("initial", []))
    evidence = [r.EvidenceItem(id=f, choice=Choice.PRESENT, initial=True) for f in initial]
    step = checker.next_question(age=age, sex=sex, evidence=evidence, max_questions=max_questions)
    for _ in range(200):
        if step.should_stop or step.question is None:
            break
        q = step.question
        known = {e.id for e in evidence}
        evidence += [a for a in _file_answer(q, answers) if a.id not in known]
        step = checker.next_question(
            age=age, sex=sex, evidence=evidence, max_questions=max_questions
        )
    present, absent, _unknown, init = evidence_sets(evidence)
    return checker.assess(age=age, sex=sex, present=present, absent=absent, initial=init)


def _file_answer(q: r.Question, answers: dict[str, Any]) -> list[r.EvidenceItem]:
    ids = [i.id for i in q.items]

    def choice(value: Any) -> Choice:
        text = str(value).lower()
        if text in YES or value is True or text == "present":
            return Choice.PRESENT
        if text in NO or value is False or text == "absent":
            return Choice.ABSENT
        return Choice.UNKNOWN

    if q.type == "single":
        return [r.EvidenceItem(id=ids[0], choice=choice(answers.get(ids[0], answers.get(q.id))))]
    given = answers.get(q.id)
    if isinstance(given, str) and given.lower() in UNSURE:
        return [r.EvidenceItem(id=i, choice=Choice.UNKNOWN) for i in ids]
    if isinstance(given, list):
        picked = {str(x) for x in given}
    else:
        picked = {i for i in ids if choice(answers.get(i)) is Choice.PRESENT}
        if q.type == "group_single" and not picked:
            return [r.EvidenceItem(id=i, choice=Choice.UNKNOWN) for i in ids]
    return [
        r.EvidenceItem(id=i, choice=Choice.PRESENT if i in picked else Choice.ABSENT) for i in ids
    ]
