"""Free text to findings (issue 17, contracts §6 "Free text").

:class:`TextParser` reads a person's own words into ``{"findings": [{id, choice, start, end,
why}], "unplaced": [...], "age"?, "sex"?}``. Offsets are Unicode code points, end exclusive.
The parse never contradicts itself: one choice per finding (the first mention wins), at most one
present member of an exclusive group, and nothing denied that a present finding implies.

The text is never logged: nothing here logs, and the libraries' loggers are capped at WARNING.
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass
from typing import Any

from twitchcheck.text import terms
from twitchcheck.text.lexicon import Lexicon
from twitchcheck.text.pipeline import HEDGED, NEGATED, RELATIVE, build
from twitchcheck.text.quantities import age_and_sex, amounts, durations

#: The longest text the parser reads (contracts §6: longer is a 422 at the API).
MAX_TEXT_CHARS = 5000
_CLAUSE = re.compile(r"[^.!?;,\n]+")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass
class Mention:
    id: str
    choice: str
    start: int
    end: int
    why: str
    source: str = "phrase"  # phrase, amount, duration, sudden, worsening

    def data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "choice": self.choice,
            "start": self.start,
            "end": self.end,
            "why": self.why,
        }


class TextParser:
    """Parses text with one lexicon; the spaCy pipeline is built on the first parse."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._nlp: Any = None
        self._lock = threading.Lock()
        self._running = threading.Lock()

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    self._nlp = build(self.lexicon)
        return self._nlp

    def parse(self, text: str) -> dict[str, Any]:
        """The parse of ``text`` (at most MAX_TEXT_CHARS; the caller checks the length)."""
        if not text.strip():
            return {"findings": [], "unplaced": []}
        nlp = self.nlp
        # spaCy does not promise that one pipeline may run in several threads at once (the REST
        # API parses in its thread pool); a parse takes about a millisecond, so parses take turns.
        with self._running:
            doc = nlp(text)
            mentions = self._phrases(doc)
            mentions = self._worsening(doc, mentions)
            mentions += self._sudden(doc, mentions)
            mentions = self._durations(doc, [*mentions, *self._amounts(text, mentions)])
        kept = self._consistent(sorted(mentions, key=lambda m: (m.start, m.end)))
        out: dict[str, Any] = {
            "findings": [m.data() for m in kept],
            "unplaced": self._unplaced(text, mentions),
        }
        age, sex = age_and_sex(text)
        if age is not None:
            out["age"] = age
        if sex is not None:
            out["sex"] = sex
        return out

    # -- phrases and their scopes -------------------------------------------------------------
    def _phrases(self, doc: Any) -> list[Mention]:
        lex = self.lexicon
        out: list[Mention] = []
        patient = self._patient_relative(doc)
        for ent in doc.ents:
            fid = ent.label_
            quoted = f"'{ent.text}'"
            relative = self._trigger_at(doc, ent, RELATIVE) is not None
            trigger = self._trigger_at(doc, ent, RELATIVE) if relative else None
            if patient is not None and trigger is not None and trigger[0] == patient:
                relative = False  # a carer writing about the person: their findings count
            if fid in lex.about_relative and not relative:
                continue  # "ALS" with no relative named: the person's fear, not a history
            if relative and fid not in lex.about_relative:
                continue  # a relative's finding is never the person's own
            negated = self._trigger_at(doc, ent, NEGATED) is not None
            hedged = self._trigger_at(doc, ent, HEDGED) is not None
            about = f" said of a relative ({self._trigger(doc, ent, RELATIVE)})" if relative else ""
            if hedged:
                why = f"matched {quoted}{about}, hedged by {self._trigger(doc, ent, HEDGED)}"
                choice = "unknown"
            elif negated:
                why = f"matched {quoted}{about}, negated by {self._trigger(doc, ent, NEGATED)}"
                choice = "absent"
            else:
                why, choice = f"matched {quoted}{about}", "present"
            out.append(Mention(fid, choice, ent.start_char, ent.end_char, why))
        return out

    def _patient_relative(self, doc: Any) -> int | None:
        """In a text with no "I" or "me" ("My mother is 91. Her hands ..."), the first relative
        named after "my"/"our" is the person assessed, not a relative: the token index of that
        trigger, else None. Other relatives ("His dad had tics") keep their scope. A text with
        no symptom at all ("My uncle had ALS") is a history, not a carer's account."""
        if any(t.lower_ in {"i", "me", "myself"} for t in doc):
            return None
        relative_words = {w for w in terms.RELATIVES[self.lexicon.language] if " " not in w}
        for t in doc[:-1]:
            after = doc[t.i + 1]
            if t.lower_ in {"my", "our"} and not (
                after.lower_ in relative_words
                or after.like_num
                or "-" in after.text
                or after.is_punct
            ):
                return None  # "my left eyelid": the writer speaks of themselves
        symptoms = {"location", "character", "symptom", "sign"}
        if not any(self.lexicon.categories.get(e.label_) in symptoms for e in doc.ents):
            return None
        component = self.nlp.get_pipe(RELATIVE)
        preceding, _following, _terminating = component.process_negations(doc)
        for _id, start, _end in sorted(preceding, key=lambda m: m[1]):
            if start > 0 and doc[start - 1].lower_ in {"my", "our"}:
                return int(start)
        return None

    def _scopes(self, doc: Any, pipe: str) -> tuple[list[int], list[tuple[list[Any], list[Any]]]]:
        """negspaCy's matches and boundaries for one scope, bucketed by boundary (computed once
        per text and kept on the Doc). The library's own loop over boundaries reads every entity
        of the text for each boundary, which takes ~200 ms on a 5,000-character text; bucketing
        keeps the same rule (a trigger in the entity's boundary, before it or after it) linear."""
        key = f"tc_scopes_{pipe}"
        if key not in doc.user_data:
            component = self.nlp.get_pipe(pipe)
            preceding, following, terminating = component.process_negations(doc)
            bounds = component.termination_boundaries(doc, terminating)
            starts = [lo for lo, _hi in bounds]
            buckets: list[tuple[list[Any], list[Any]]] = [([], []) for _ in bounds]
            for kind, matches in ((0, preceding), (1, following)):
                for match in sorted(matches, key=lambda m: m[1]):
                    i = bisect.bisect_right(starts, match[1]) - 1
                    if 0 <= i < len(bounds) and match[1] < bounds[i][1]:
                        buckets[i][kind].append(match)
            doc.user_data[key] = (starts, buckets)
        starts, buckets = doc.user_data[key]
        return starts, buckets

    def _trigger_at(self, doc: Any, ent: Any, pipe: str) -> tuple[int, str] | None:
        """The token index and words that put ``ent`` in a scope, or None: negspaCy's rule (a
        preceding trigger before it, or a following one after it, within its boundary; an
        entity across two boundaries is in no scope)."""
        starts, buckets = self._scopes(doc, pipe)
        i = bisect.bisect_right(starts, ent.start) - 1
        if i < 0:
            return None
        hi = starts[i + 1] if i + 1 < len(starts) else len(doc)
        if ent.end > hi:
            return None
        preceding, following = buckets[i]
        before = [m for m in preceding if m[1] < ent.start]
        after = [m for m in following if m[2] > ent.end]
        for _id, start, end in before[-1:] or after[:1]:
            return int(start), str(doc[start:end].text)
        return None

    def _trigger(self, doc: Any, ent: Any, pipe: str) -> str:
        """The words that put ``ent`` in a scope, quoted for ``why``."""
        found = self._trigger_at(doc, ent, pipe)
        return "its context" if found is None else f"'{found[1]}'"

    def _sentences(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """(start_char, end_char, start, end) of each sentence, computed once per text."""
        if "tc_sents" not in doc.user_data:
            doc.user_data["tc_sents"] = [
                (s.start_char, s.end_char, s.start, s.end) for s in doc.sents
            ]
        sents: list[tuple[int, int, int, int]] = doc.user_data["tc_sents"]
        return sents

    def _clause_of(self, doc: Any, start_char: int) -> tuple[int, int]:
        sents = self._sentences(doc)
        i = bisect.bisect_right([s[0] for s in sents], start_char) - 1
        if 0 <= i < len(sents) and start_char < sents[i][1]:
            return sents[i][0], sents[i][1]
        return 0, len(doc.text)

    def _worsening(self, doc: Any, mentions: list[Mention]) -> list[Mention]:
        """ "Getting worse" said of weakness is a worsening weakness, at the pace its sentence
        gives (day by day: ``pace: days``; otherwise ``pace: weeks``), not a worsening twitch."""
        lex, out = self.lexicon, list(mentions)
        targets = {t for forms in lex.worsening.values() for t in forms.values()}
        weak = set(lex.worsening) | targets
        for m in mentions:
            is_worse = m.id == "getting_worse"
            if m.choice != "present" or not (is_worse or m.id in targets):
                continue
            lo, hi = self._clause_of(doc, m.start)
            base = next(
                (
                    b
                    for b in mentions
                    if b.id in weak and lo <= b.start < hi and b.choice == "present" and b is not m
                ),
                None,
            )
            if is_worse and base is None:
                continue
            sentence = doc.text[lo:hi].lower()
            daily = any(
                re.search(rf"\b{re.escape(t)}\b", sentence) for t in terms.DAY_PACE[lex.language]
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

    def _sudden(self, doc: Any, mentions: list[Mention]) -> list[Mention]:
        lex, out = self.lexicon, []
        for m in mentions:
            target = lex.sudden.get(m.id)
            if target is None or m.choice != "present":
                continue
            lo, hi = self._clause_of(doc, m.start)
            if lo > 0:  # "An hour ago the room started spinning. Now my face won't move."
                lo = self._clause_of(doc, lo - 1)[0]
            sentence = doc.text[lo:hi].lower()
            for word in terms.SUDDEN[lex.language]:
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
        return out

    # -- amounts and durations ----------------------------------------------------------------
    def _amounts(self, text: str, mentions: list[Mention]) -> list[Mention]:
        out = []
        for q in amounts(text):
            for fid, rule in self.lexicon.amounts.get(q.unit, []):
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

    def _durations(self, doc: Any, mentions: list[Mention]) -> list[Mention]:
        """The twitch's duration: of every stated duration (the KB's phrases and the numbers
        found here), the first in a sentence that says something moves, else in a sentence
        with a symptom; a duration said only of a diet or a medicine ("vegan for two years")
        is not the twitch's. With none stated, "today", "yesterday" ... date it to the last day."""
        lex = self.lexicon
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
            stated = self._recent(doc.text)
        best: tuple[int, int] | None = None
        chosen: Mention | None = None
        for m in stated:
            key = (-self._duration_score(doc, m, rest), m.start)
            if best is None or key < best:
                best, chosen = key, m
        if chosen is None or (best is not None and best[0] == 0 and len(stated) > 1):
            return rest
        if best is not None and best[0] == 0 and self._in_lifestyle_sentence(doc, chosen, rest):
            return rest
        return [*rest, chosen]

    def _duration_score(self, doc: Any, m: Mention, others: list[Mention]) -> int:
        lo, hi = self._clause_of(doc, m.start)
        moving: dict[int, bool] = doc.user_data.setdefault("tc_moving", {})
        if lo not in moving:
            span = doc.char_span(lo, hi, alignment_mode="expand")
            stems = terms.MOVEMENT[self.lexicon.language]
            moving[lo] = span is not None and any(t.norm_.startswith(stems) for t in span)
        if moving[lo]:
            return 2
        cats = {self.lexicon.categories.get(o.id) for o in others if lo <= o.start < hi}
        return 1 if cats & {"location", "character", "symptom", "sign"} else 0

    def _in_lifestyle_sentence(self, doc: Any, m: Mention, others: list[Mention]) -> bool:
        lo, hi = self._clause_of(doc, m.start)
        cats = {self.lexicon.categories.get(o.id) for o in others if lo <= o.start < hi}
        return bool(cats & {"lifestyle", "history"})

    def _recent(self, text: str) -> list[Mention]:
        low = text.lower()
        for word in terms.RECENT[self.lexicon.language]:
            found = re.search(rf"\b{re.escape(word)}\b", low)
            if found:
                return [
                    Mention(
                        "duration_under_2_weeks",
                        "present",
                        found.start(),
                        found.end(),
                        f"'{text[found.start() : found.end()]}': it started within the "
                        "last day or so",
                        "duration",
                    )
                ]
        return []

    # -- consistency and what was left ------------------------------------------------------
    def _consistent(self, mentions: list[Mention]) -> list[Mention]:
        """One choice per finding, amounts before phrases; one present member per exclusive
        group (the first stated); nothing denied that a present finding implies."""
        lex = self.lexicon
        # A worsening's time ("getting worse over the last few days") is its pace, not the
        # twitch's duration: drop durations inside a worsening's sentence span.
        pace_spans = [
            (m.start, m.end + 40)
            for m in mentions
            if m.id == "getting_worse" or m.source == "worsening"
        ]
        ordered = sorted(mentions, key=lambda m: (m.source != "amount", m.start))
        chosen: dict[str, Mention] = {}
        group_taken: dict[str, str] = {}
        for m in ordered:
            if m.id in chosen:
                continue
            group = lex.group_of(m.id)
            if group is not None and m.choice == "present":
                if any(lo <= m.start < hi for lo, hi in pace_spans):
                    continue  # the pace of a worsening, not how long it has lasted
                if group in group_taken:
                    continue
                group_taken[group] = m.id
            chosen[m.id] = m
        present = {f for f, m in chosen.items() if m.choice == "present"}
        implied = set(present)
        changed = True
        while changed:
            changed = False
            for if_, then in lex.implications:
                if if_ in implied and then not in implied:
                    implied.add(then)
                    changed = True
        for f in list(chosen):
            m = chosen[f]
            if m.choice == "absent" and f in implied:
                del chosen[f]
            group = lex.group_of(f)
            if m.choice == "absent" and group is not None and group in group_taken:
                chosen.pop(f, None)  # a stated group member already closes the group
        return sorted(chosen.values(), key=lambda m: (m.start, m.end, m.id))

    def _unplaced(self, text: str, kept: list[Mention]) -> list[str]:
        """Clauses with words in them that gave no finding (what the person may want to add)."""
        out = []
        for c in _CLAUSE.finditer(text):
            if any(c.start() < m.end and m.start < c.end() for m in kept):
                continue
            clause = " ".join(c.group(0).split())
            if _WORD.search(clause):
                out.append(clause[:200])
        return out
