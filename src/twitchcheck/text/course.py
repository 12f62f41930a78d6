"""Time course and amounts in a parse: worsening and sudden onset said of a finding, the KB's
amount thresholds, and the one duration that belongs to the twitch (issue 17)."""

from __future__ import annotations

import functools
import re
from typing import Any

from twitchcheck.text import terms, timewords
from twitchcheck.text.lexicon import Lexicon
from twitchcheck.text.quantities import amounts, durations
from twitchcheck.text.spans import Mention, clause_of, sentences


def worsening(lex: Lexicon, doc: Any, mentions: list[Mention]) -> list[Mention]:
    """ "Getting worse" said of weakness is a worsening weakness, at the pace its sentence
    gives (day by day: ``pace: days``; otherwise ``pace: weeks``), not a worsening twitch."""
    out = list(mentions)
    targets = {t for forms in lex.worsening.values() for t in forms.values()}
    weak = set(lex.worsening) | targets
    for m in mentions:
        is_worse = m.id == "getting_worse"
        if m.choice != "present" or not (is_worse or m.id in targets):
            continue
        lo, hi = clause_of(doc, m.start)
        base = _weakness_in(mentions, weak, lo, hi, m)
        if is_worse and base is None and lo > 0 and _says_nothing_else(mentions, lo, hi, m):
            # "My legs went weak on Monday. It's worse every day.": a sentence that says only
            # that it is getting worse speaks of the sentence before.
            base = _weakness_in(mentions, weak, clause_of(doc, lo - 1)[0], lo, m)
        if is_worse and base is None:
            continue
        sentence = doc.text[lo:hi].lower()
        daily = any(
            re.search(rf"\b{re.escape(t)}\b", sentence) for t in timewords.DAY_PACE[lex.language]
        )
        forms = lex.worsening.get(base.id if base and base.id in lex.worsening else "", {})
        forms = forms or next(iter(lex.worsening.values()), {})
        target = forms.get("days" if daily else "weeks")
        if target is None or (not is_worse and (target == m.id or not daily)):
            continue
        if is_worse:
            out.remove(m)
        pace = "day by day" if daily else "over weeks"
        out.append(
            Mention(
                target,
                "present",
                m.start,
                m.end,
                f"{m.why}, said of weakness ({pace})",
                "worsening",
            )
        )
    return out


def _weakness_in(
    mentions: list[Mention], weak: set[str], lo: int, hi: int, m: Mention
) -> Mention | None:
    return next(
        (
            b
            for b in mentions
            if b.id in weak and lo <= b.start < hi and b.choice == "present" and b is not m
        ),
        None,
    )


def _says_nothing_else(mentions: list[Mention], lo: int, hi: int, m: Mention) -> bool:
    return not any(lo <= b.start < hi for b in mentions if b is not m)


#: Findings that waking with, or a brief spell of, does not make sudden: pins and needles on
#: waking or for a minute is most often an arm slept or leant on (NHS "Pins and needles":
#: "sitting or sleeping in an awkward position").
_SLEPT_ON = frozenset({"tingling_numbness"})


def sudden(lex: Lexicon, doc: Any, mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        target = lex.sudden.get(m.id)
        if target is None or m.choice != "present":
            continue
        lo, hi = clause_of(doc, m.start)
        if lo > 0:  # "An hour ago the room started spinning. Now my face won't move."
            lo = clause_of(doc, lo - 1)[0]
        sentence = _not_sudden_words(lex.language).sub(" ", doc.text[lo:hi].lower())
        words = timewords.SUDDEN[lex.language]
        # Woken with it, unless it has grown since ("woke up with my face feeling heavy and it
        # has got worse through the day" is a course over hours, as in Bell's palsy).
        growing = any(w.id == "getting_worse" and lo <= w.start < hi for w in mentions)
        if m.id not in _SLEPT_ON and not growing:
            words = (*words, *timewords.ON_WAKING[lex.language])
            words = (*words, *timewords.BRIEF_SPELL[lex.language])
        for word in words:
            if re.search(rf"\b{re.escape(word)}\b", sentence):
                out.append(
                    Mention(
                        target,
                        "present",
                        m.start,
                        m.end,
                        f"'{doc.text[m.start : m.end]}' came on suddenly ('{word}')",
                        "sudden",
                    )
                )
                break
    return out + _not_sudden(lex, doc, mentions, {m.id for m in out})


@functools.lru_cache(maxsize=8)
def _not_sudden_words(language: str) -> re.Pattern[str]:
    words = timewords.NOT_SUDDEN[language]
    return re.compile("|".join(rf"\b{re.escape(w)}\b" for w in words), re.I)


def _not_sudden(
    lex: Lexicon, doc: Any, mentions: list[Mention], sudden_ids: set[str]
) -> list[Mention]:
    """ "No sudden changes, just slowly worse": the sudden form of each finding the text
    states is absent, unless the text says one of them came on suddenly."""
    said = _not_sudden_words(lex.language).search(doc.text)
    if said is None:
        return []
    out: list[Mention] = []
    for m in mentions:
        # "got weaker" is weakness too (the KB's implications): its sudden form is denied
        stated = {m.id, *(then for if_, then in lex.implications if if_ == m.id)}
        for target in filter(None, (lex.sudden.get(f) for f in sorted(stated))):
            if m.choice != "present" or target in sudden_ids:
                continue
            if any(o.id == target for o in (*mentions, *out)):
                continue
            why = f"'{said.group(0)}': '{doc.text[m.start : m.end]}' did not come on suddenly"
            out.append(Mention(target, "absent", said.start(), said.end(), why, "sudden"))
    return out


def amount_mentions(lex: Lexicon, text: str) -> list[Mention]:
    out = []
    for q in amounts(text):
        for fid, rule in lex.amounts.get(q.unit, []):
            if rule.per != q.per:
                continue
            if rule.above is not None:
                present, limit = q.value > rule.above, f"more than {rule.above:g}"
            else:
                assert rule.below is not None
                present, limit = q.value < rule.below, f"less than {rule.below:g}"
            word = "meets" if present else "does not meet"
            why = (
                f"'{q.text}' ({q.value:g} a {q.per}) {word} the KB's threshold "
                f"for this finding ({limit} a {rule.per})"
            )
            out.append(
                Mention(fid, "present" if present else "absent", q.start, q.end, why, "amount")
            )
    return out


def with_duration(lex: Lexicon, doc: Any, mentions: list[Mention]) -> list[Mention]:
    """The twitch's duration: of every stated duration (the KB's phrases and the numbers
    found here), the first in a sentence that says something moves, else in a sentence
    with a symptom; a duration said only of a diet or a medicine ("vegan for two years")
    is not the twitch's. With none stated, "today", "yesterday" ... date it to the last day."""
    group = lex.group_of("duration_under_2_weeks")
    if group is None:
        return mentions
    members = set(lex.groups[group])
    stated = [m for m in mentions if m.id in members and m.choice == "present"]
    rest = [m for m in mentions if m not in stated]
    for d in durations(doc.text):
        fid = (
            "duration_under_2_weeks"
            if d.days < 14
            else "duration_2_weeks_to_3_months"
            if d.days < 90
            else "duration_over_3_months"
        )
        stated.append(
            Mention(
                fid,
                "present",
                d.start,
                d.end,
                f"'{d.text}' is about {d.days:g} days",
                "duration",
            )
        )
    if not stated:
        stated = recent(lex, doc.text)
    best: tuple[int, int] | None = None
    chosen: Mention | None = None
    for m in stated:
        key = (-duration_score(lex, doc, m, rest), m.start)
        if best is None or key < best:
            best, chosen = key, m
    # Two durations that disagree, neither said of the twitch: no reading ("a few days" and
    # "a few days ago" for one phrase agree).
    if chosen is None or (best is not None and best[0] == 0 and len({m.id for m in stated}) > 1):
        return rest
    if best is not None and best[0] == 0 and in_lifestyle_sentence(lex, doc, chosen, rest):
        return rest
    return [*rest, chosen]


def duration_score(lex: Lexicon, doc: Any, m: Mention, others: list[Mention]) -> int:
    lo, hi = clause_of(doc, m.start)
    moving: dict[int, bool] = doc.user_data.setdefault("tc_moving", {})
    if lo not in moving:
        span = doc.char_span(lo, hi, alignment_mode="expand")
        stems = terms.MOVEMENT[lex.language]
        moving[lo] = span is not None and any(t.norm_.startswith(stems) for t in span)
    if moving[lo]:
        return 2
    cats = {lex.categories.get(o.id) for o in others if lo <= o.start < hi}
    if cats & {"location", "character", "symptom", "sign"}:
        return 1
    # "It started three weeks ago.", "Been like this maybe 3 weeks": said of the complaint
    # already named, in a sentence of its own.
    if _OF_THE_COMPLAINT.search(doc.text[lo : m.end]):
        return 1
    # "The GP started me on a water tablet 5 weeks ago. Since then my calves cramp": the next
    # sentence dates the complaint from this one.
    return 1 if _FROM_THEN.match(doc.text, hi) else 0


_FROM_THEN = re.compile(r"\s*(?:since\s+then|ever\s+since|from\s+then\s+on|after\s+that)\b", re.I)
_OF_THE_COMPLAINT = re.compile(
    # a sentence that opens with the verb, its subject left out as people type ("Started
    # maybe 6 weeks ago.", "Been going on a month")
    r"^\s*(?:started|began|begun|been)\b|"
    r"\b(?:it|this|these|they|that)(?:'s|s|\s+has|\s+have|\s+is|\s+was)?\s+(?:been|started|"
    r"began|come|came|going)\b|\bgoing\s+on\b|\blike\s+this\b",
    re.I,
)


def in_lifestyle_sentence(lex: Lexicon, doc: Any, m: Mention, others: list[Mention]) -> bool:
    lo, hi = clause_of(doc, m.start)
    cats = {lex.categories.get(o.id) for o in others if lo <= o.start < hi}
    return bool(cats & {"lifestyle", "history"})


def recent(lex: Lexicon, text: str) -> list[Mention]:
    low = text.lower()
    for word in timewords.RECENT[lex.language]:
        found = re.search(rf"\b{re.escape(word)}\b", low)
        if found:
            return [
                Mention(
                    "duration_under_2_weeks",
                    "present",
                    found.start(),
                    found.end(),
                    f"'{text[found.start() : found.end()]}': it started within the last day or so",
                    "duration",
                )
            ]
    return []


def day_comparisons(lex: Lexicon, doc: Any) -> list[Mention]:
    """A course said by comparing days: "worse than yesterday" / "since last night it's worse"
    is a worsening; "I could walk yesterday but today I can't" is weakness worsening by days
    (course.worsening reads the pace from the day words of the sentence)."""
    lang = lex.language
    worse = re.compile(timewords.WORSE_THAN_A_DAY[lang], re.I)
    out: list[Mention] = []
    for lo, hi, _, _ in sentences(doc):
        sentence = doc.text[lo:hi]
        found = worse.search(sentence)
        if found:
            why = f"'{found.group(0)}': worse than an earlier day"
            out.append(
                Mention("getting_worse", "present", lo + found.start(), lo + found.end(), why)
            )
        lost = _ability_lost(lang, sentence)
        if lost is not None:
            start, end = lo + lost[0], lo + lost[1]
            said = doc.text[start:end]
            out.append(
                Mention("muscle_weakness", "present", start, end, f"'{said}': an ability lost")
            )
            out.append(
                Mention(
                    "getting_worse", "present", start, end, f"'{said}': lost since an earlier day"
                )
            )
    return out


def _ability_lost(language: str, sentence: str) -> tuple[int, int] | None:
    """Where a sentence says a limb could do something on an earlier day and cannot now."""
    able = re.search(timewords.ABLE_BEFORE[language], sentence, re.I)
    day = re.search(timewords.EARLIER_DAY[language], sentence, re.I)
    if able is None or day is None:
        return None
    unable = re.search(timewords.UNABLE_NOW[language], sentence[able.end() :], re.I)
    if unable is None:
        return None
    return min(able.start(), day.start()), able.end() + unable.end()
