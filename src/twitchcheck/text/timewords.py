"""Words of time and pace the parser reads beside the KB's phrases (issue 17): sudden onset,
waking with a finding, a day-by-day pace and a recent start. Keyed by language, as in terms.py."""

from __future__ import annotations

from typing import Final

#: Words that say a finding came on suddenly (the KB's ``sudden_of`` hints apply).
SUDDEN: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "suddenly",
        "sudden",
        "all of a sudden",
        "out of nowhere",
        "came on fast",
        "in a few minutes",
        "within minutes",
        "overnight",
        "abruptly",
        "came on quickly",
        "an hour ago",
        "minutes ago",
        "out of the blue",
        "in seconds",
        "in an instant",
        "all at once",
        "without warning",
        "instantly",
    ),
}

#: Words that say a finding did not come on suddenly ("no sudden changes, just slowly worse").
NOT_SUDDEN: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "no sudden",
        "not sudden",
        "nothing sudden",
        "wasn't sudden",
        "was not sudden",
        "not suddenly",
        "didn't come on suddenly",
        "did not come on suddenly",
        "came on slowly",
        "came on gradually",
        "gradual onset",
        "crept up",
    ),
}

#: Waking with it: it came on overnight, all at once (NHS stroke and Bell's palsy pages: it
#: is often noticed on waking). Not said of pins and needles (course.sudden).
ON_WAKING: Final[dict[str, tuple[str, ...]]] = {
    "en": ("woke up", "woken up", "woke with", "when i woke", "woke to find"),
}

#: A brief spell that came and went ("my speech went garbled for a few minutes"): it came on
#: all at once (a TIA's symptoms last minutes, NHS "Transient ischaemic attack"). Not said of
#: pins and needles either (course.sudden).
BRIEF_SPELL: Final[dict[str, tuple[str, ...]]] = {
    "en": ("for a few minutes", "for a couple of minutes", "for a minute", "for a few seconds"),
}

#: Words that set a day-by-day pace for a worsening (``pace: days``); others read as weeks.
DAY_PACE: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "day",
        "days",
        "daily",
        "hour",
        "hours",
        "yesterday",
        "today",
        "this morning",
        "overnight",
        "this week",
        "every day",
        "day by day",
        "by the day",
        "each day",
        "next day",
        "next morning",
        "by the hour",
        "evening",
        "afternoon",
        "lunchtime",
        "within hours",
        "few hours",
        "over the week",
        "within a week",
        "in a week",
        "past week",
        "last week",
        "weekend",
        # a weekday named: it began within the week
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ),
}

#: Words that date the start of a complaint to the last day or so when no duration is stated.
RECENT: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "today",
        "yesterday",
        "this morning",
        "this evening",
        "tonight",
        "last night",
        "an hour ago",
        "minutes ago",
        "hours ago",
        "earlier today",
    ),
}

#: A day named as the point of comparison: "worse than yesterday", "since last night it's worse",
#: "I could walk yesterday but today I can't" (course.day_comparisons).
_EARLIER_DAY = (
    r"(?:yesterday|last\s+night|this\s+morning|the\s+day\s+before|last\s+week|"
    r"(?:a\s+)?(?:few|couple\s+of|two|three|2|3)\s+days\s+ago|on\s+(?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day)"
)
WORSE_THAN_A_DAY: Final[dict[str, str]] = {
    "en": (
        rf"\b(?:worse|weaker)\b[^.!?,;]{{0,25}}?\b(?:than|since)\s+"
        rf"(?:(?:i|it|they|he|she|we)\s+(?:was|were)\s+)?{_EARLIER_DAY}\b"
        r"|\b(?:each|every)\s+day\b[^.!?;]{0,15}?\b(?:worse|weaker)\b"
        rf"|\bsince\s+{_EARLIER_DAY}\b[^.!?;]{{0,25}}?\b(?:worse|weaker)\b"
        r"|\b(?:worse|weaker)\s+(?:again\s+)?(?:today|overnight|this\s+morning)\b"
    ),
}
#: An ability of the limbs had on an earlier day and lost since ("could walk", "was able to
#: stand"), and the words that say it is lost now.
ABLE_BEFORE: Final[dict[str, str]] = {
    "en": (
        r"\b(?:could|was\s+able\s+to)\s+(?:still\s+)?(?:walk|stand|climb|lift|hold|grip|get\s+up|"
        r"move|raise|carry|use|run|manage)\b"
    ),
}
EARLIER_DAY: Final[dict[str, str]] = {"en": rf"\b{_EARLIER_DAY}\b"}
UNABLE_NOW: Final[dict[str, str]] = {
    "en": r"\b(?:can't|can’t|cant|cannot|can\s+not|unable|not\s+able|can\s+(?:hardly|barely))\b"
}
