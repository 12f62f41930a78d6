"""Amounts, durations, age and sex in free text, with their code-point spans (issue 17).

Plain regular expressions over the text: numbers come in digits or words ("6", "six", "a
couple of"), and a hedge on an amount ("like 6 coffees", "maybe 4 hours") approximates the
amount without making it unknown (contracts §6). What the amounts mean is the KB's business:
each finding's ``text.amounts`` gives the unit and the threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_NUMBER_WORDS: Final[dict[str, float]] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 4,
    "half a": 0.5,
    "a dozen": 12,
    "many": 6,
}
_NUM = (
    r"(?P<n>\d+(?:\.\d+)?|a couple of|a couple|couple of|a few|few|several|half a|a dozen|many|"
    + "|".join(sorted((w for w in _NUMBER_WORDS if " " not in w), key=len, reverse=True))
    + r")(?:\s*(?:-|to|or)\s*(?P<n2>\d+(?:\.\d+)?|"
    + "|".join(sorted((w for w in _NUMBER_WORDS if " " not in w), key=len, reverse=True))
    + r"))?"
)
_PER = r"(?:\s+(?:a|per|each|every|in\s+a|a\s+single)\s+(?P<per>day|night|week|morning|shift))?"


def number(word: str | None) -> float | None:
    if word is None:
        return None
    word = word.lower()
    try:
        return float(word)
    except ValueError:
        return _NUMBER_WORDS.get(word)


@dataclass(frozen=True)
class Quantity:
    """An amount of ``unit`` per ``per`` (``day`` or ``week``) found at ``[start, end)``."""

    unit: str
    value: float
    per: str
    start: int
    end: int
    text: str


_AMOUNTS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    (
        "energy_drink",
        re.compile(
            r"\b"
            + _NUM
            + r"\s+(?:cans?\s+of\s+)?(?:energy\s*drinks?|red\s*bulls?|monsters?)"
            + _PER,
            re.I,
        ),
    ),
    (
        "coffee",
        re.compile(
            r"\b" + _NUM + r"\s+(?:(?:big|large|strong|double)\s+)?(?:cups?\s+of\s+coffee|"
            r"mugs?\s+of\s+coffee|coffees?|cofees?|espressos?|lattes?|americanos?|"
            r"cappuccinos?|flat\s+whites?|cups?|mugs?)" + _PER,
            re.I,
        ),
    ),
    (
        "sleep_hour",
        re.compile(
            r"\b(?:sleep(?:ing)?|slept|get(?:ting)?|got|only)\s+(?:(?:only|about|around|like|"
            r"maybe|roughly|barely|less\s+than|under|much|more\s+than|about\s+like)\s+)*"
            + _NUM
            + r"\s*(?:hours?|hrs?|h)\b"
            r"(?:\s+(?:of\s+sleep|sleep|a\s+night|per\s+night|a\s+day))?",
            re.I,
        ),
    ),
    (
        "sleep_hour",
        re.compile(r"\b" + _NUM + r"\s*(?:hours?|hrs?|h)\s+(?:of\s+)?sleep\b" + _PER, re.I),
    ),
    (
        "alcohol_drink",
        re.compile(
            # not "a bottle of wine": a bottle is several drinks, left to the KB's phrase
            r"\b" + _NUM + r"\s+(?:alcoholic\s+drinks?|drinks|pints?(?:\s+of\s+\w+)?|beers?|"
            r"glasses\s+of\s+wine|units(?:\s+of\s+alcohol)?)" + _PER,
            re.I,
        ),
    ),
)


def amounts(text: str) -> list[Quantity]:
    """Every amount in ``text``, first-found span wins where patterns overlap."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for unit, pattern in _AMOUNTS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            low, high = number(m.group("n")), number(m.group("n2"))
            if low is None:
                continue
            if m.group("n").lower() in {"a", "an"} and not m.groupdict().get("per"):
                continue  # "I had a coffee" is one cup, not a daily amount
            value = (low + high) / 2 if high is not None else low
            per_word = (m.groupdict().get("per") or "day").lower()
            per = "week" if per_word == "week" else "day"
            found.append(Quantity(unit, value, per, m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda q: q.start)


_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last\s+night"
_DURATION_UNIT_DAYS: Final[dict[str, float]] = {
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1,
    "week": 7,
    "month": 30,
    "year": 365,
}
_DURATIONS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(
        r"\b(?:for|since|past|last|over|about|around|almost|nearly|already|been|going\s+on|like\s+this)\s+"
        r"(?:the\s+)?"
        r"(?:(?:past|last|about|around|like|almost|nearly|over|roughly|maybe|at\s+least)\s+)*"
        + _NUM
        + r"\s+(?P<unit>day|week|month|year)s?\b",  # "for 4 hours" is an episode, not an onset
        re.I,
    ),
    re.compile(
        r"\b" + _NUM + r"\s*-?\s*(?P<unit>minute|hour|day|week|month|year)s?\s+(?:ago|now)\b", re.I
    ),
    # "4 months maybe", "6 weeks or so", "3 weeks I think": a length said as an estimate
    re.compile(
        r"\b" + _NUM + r"\s+(?P<unit>day|week|month|year)s?(?=[\s,-]*(?:maybe|or\s+so|ish|"
        r"i\s+think|i\s+guess|roughly|give\s+or\s+take)\b)",
        re.I,
    ),
    # "for months", "for the past week": the unit alone (plural: a few of them; singular: one)
    re.compile(
        r"\b(?:for|over|in|the\s+past|been)\s+(?:the\s+)?(?:past\s+|last\s+)?"
        r"(?P<bare>day|week|month|year)"
        r"(?P<plural>s)?\b",
        re.I,
    ),
    re.compile(
        r"\b(?:since|started|began|on\s+and\s+off\s+for)\s+(?:on\s+)?"
        r"(?:(?:like|about|around|roughly|maybe|last)\s+)*(?P<day>" + _WEEKDAYS + r")\b",
        re.I,
    ),
    re.compile(r"\bsince\s+last\s+(?P<unit>week|month|year)\b", re.I),
    # "since last summer": the season before this one, so at least a few months
    re.compile(r"\bsince\s+last\s+(?P<season>summer|winter|spring|autumn|christmas)\b", re.I),
    # "Three weeks on, ...", "Two days later": a sentence that opens with the time since a start
    re.compile(
        r"(?:^|(?<=[.!?]\s))" + _NUM + r"\s+(?P<unit>day|week|month)s?\s+(?:on|later)\b", re.I
    ),
    re.compile(r"\bsince\s+(?:this\s+morning|today)\b", re.I),
)


@dataclass(frozen=True)
class Duration:
    """How long ago something started, in days, found at ``[start, end)``."""

    days: float
    start: int
    end: int
    text: str


def durations(text: str) -> list[Duration]:
    """Every stated duration ("since Tuesday", "for three weeks", "on and off for a year")."""
    found: list[Duration] = []
    for pattern in _DURATIONS:
        for m in pattern.finditer(text):
            if any(m.start() < d.end and d.start < m.end() for d in found):
                continue
            groups = m.groupdict()
            if groups.get("bare") is not None:
                count = 3 if groups.get("plural") else 1  # "for months": a few of them
                days = count * _DURATION_UNIT_DAYS[groups["bare"].lower()]
            elif groups.get("season") is not None:
                days = 180.0  # half a year: between one and four seasons ago
            elif groups.get("day") is not None:
                days = 3.0  # a named weekday or yesterday: within the last week
            elif groups.get("unit") is not None and groups.get("n") is None:
                days = _DURATION_UNIT_DAYS[groups["unit"].lower()]  # "since last month"
            elif groups.get("unit") is not None:
                low, high = number(groups["n"]), number(groups.get("n2"))
                if low is None:
                    continue
                value = (low + high) / 2 if high is not None else low
                days = value * _DURATION_UNIT_DAYS[groups["unit"].lower()]
            else:
                days = 0.5  # since this morning / today
            found.append(Duration(days, m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda d: d.start)


_AGE = re.compile(
    r"\b(?:i'?m|i\s+am|aged?|age:?)\s+(?:a\s+)?(?P<age>\d{1,3})\b(?!\s*(?:hours?|days?|weeks?|"
    r"months?|cups?|coffees?|%))|\b(?P<age2>\d{1,3})\s*(?:-\s*)?(?:years?\s*-?\s*old|y/?o|yrs?\s+old)"
    r"|\b(?P<age3>\d{1,3})\s*(?P<sexletter>[mf])\b",
    re.I,
)
_SEX = re.compile(
    r"\b(?:i'?m|i\s+am)\s+(?:a\s+|an\s+)?(?:\d{1,3}\s*(?:-\s*)?(?:years?\s*-?\s*old|y/?o)?\s+)?"
    r"(?:(?P<f>woman|female|girl|lady|mum|mom|mother)|(?P<m>man|male|guy|boy|dad|father|bloke))\b"
    r"|\b\d{1,3}\s*(?:-\s*)?(?:years?\s*-?\s*old|y/?o)\s+(?:(?P<f2>woman|female|girl|lady)|"
    r"(?P<m2>man|male|guy|boy|bloke))\b",
    re.I,
)


def age_and_sex(text: str) -> tuple[int | None, str | None]:
    """The age and sex the person states of themselves, if any (reported, never used)."""
    age: int | None = None
    sex: str | None = None
    m = _AGE.search(text)
    if m:
        said = _stated_age(m)
        age = said[0] if said else None
        letter = m.group("sexletter")
        if letter:
            sex = "female" if letter.lower() == "f" else "male"
    s = _SEX.search(text)
    if s:
        sex = "female" if (s.group("f") or s.group("f2")) else "male"
    return age, sex


#: An age said right after the relative a carer writes about ("my son is 10", "my daughter
#: (9)", "my boy, 7,").
_AGE_AFTER_RELATIVE = re.compile(
    r"\s*(?:\(\s*|,\s*|is\s+|who\s+is\s+|who's\s+|aged?\s+|just\s+turned\s+)(?P<n>\d{1,2})\b"
    r"(?!\s*(?:hours?|days?|weeks?|months?|times|%|cups?|coffees?))",
    re.I,
)


def age_after(text: str, at: int) -> tuple[int, int, int] | None:
    """The age said at character ``at`` (just after a relative's word) and its span, if any."""
    m = _AGE_AFTER_RELATIVE.match(text, at)
    return (int(m.group("n")), m.start("n"), m.end("n")) if m else None


def own_age(text: str) -> tuple[int, int, int] | None:
    """The age the writer states of themselves (as age_and_sex) and its span, if any."""
    m = _AGE.search(text)
    return _stated_age(m) if m else None


def _stated_age(m: re.Match[str]) -> tuple[int, int, int] | None:
    """The age an ``_AGE`` match holds (each of its forms has one age group) and its span, if
    it is a plausible age (1-120)."""
    name = next(g for g in ("age", "age2", "age3") if m.group(g) is not None)
    value = int(m.group(name))
    return (value, m.start(name), m.end(name)) if 0 < value <= 120 else None
