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
from typing import Any

from twitchcheck.text import course, medicines, people, terms
from twitchcheck.text.lexicon import Lexicon
from twitchcheck.text.pipeline import (
    DENIAL,
    HEDGED,
    NEGATED,
    NESTED_SPANS,
    RELATIVE,
    STATE_SPANS,
    build,
)
from twitchcheck.text.quantities import age_after, age_and_sex, durations, own_age
from twitchcheck.text.spans import Mention

#: The longest text the parser reads (contracts §6: longer is a 422 at the API).
MAX_TEXT_CHARS = 5000
_CLAUSE = re.compile(r"[^.!?;,\n]+")
_WORD = re.compile(r"[^\W\d_]{2,}")


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
        nlp, lex = self.nlp, self.lexicon
        # spaCy does not promise that one pipeline may run in several threads at once (the REST
        # API parses in its thread pool); a parse takes about a millisecond, so parses take turns.
        with self._running:
            doc = nlp(text)
            mentions = self._phrases(doc) + medicines.started_medicines(lex, text)
            mentions += course.day_comparisons(lex, doc)
            mentions += self._childhood(doc, text)
            mentions = course.worsening(lex, doc, mentions)
            mentions += course.sudden(lex, doc, mentions)
            mentions = course.with_duration(
                lex, doc, [*mentions, *course.amount_mentions(lex, text)]
            )
        kept = self._with_implied(
            self._consistent(sorted(mentions, key=lambda m: (m.start, m.end)))
        )
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
        # A carer's "I'm worried" is the carer's, not the assessed person's
        watcher = (self._watching(doc) or []) if patient is not None else []
        # A subject-state span is in a scope by its last word, so that a negation or hedge
        # between its two ends counts ("my face hasn't dropped", "my throat might be tight").
        states = [(span, span[-1:]) for span in doc.spans.get(STATE_SPANS, [])]
        nested = [(span, span) for span in doc.spans.get(NESTED_SPANS, [])]
        for ent, probe in [*((e, e) for e in doc.ents), *nested, *states]:
            if any(lo <= ent.start < hi for lo, hi in watcher):
                continue
            fid = ent.label_.removeprefix(DENIAL)
            denial = fid != ent.label_
            quoted = f"'{ent.text}'"
            relative = self._trigger_at(doc, probe, RELATIVE) is not None
            trigger = self._trigger_at(doc, probe, RELATIVE) if relative else None
            if patient is not None and trigger is not None and trigger[0] == patient:
                relative = False  # a carer writing about the person: their findings count
            if fid in lex.about_relative and not relative:
                continue  # "ALS" with no relative named: the person's fear, not a history
            if relative and fid not in lex.about_relative:
                continue  # a relative's finding is never the person's own
            negated = self._trigger_at(doc, probe, NEGATED) is not None
            hedged = self._trigger_at(doc, probe, HEDGED) is not None
            about = (
                f" said of a relative ({self._trigger(doc, probe, RELATIVE)})" if relative else ""
            )
            # A denial carries its own negation ("can't stop it"): a negation before it is
            # that one's scope running on ("he doesn't feel it coming and can't stop it").
            if hedged:
                why = f"matched {quoted}{about}, hedged by {self._trigger(doc, probe, HEDGED)}"
                choice = "unknown"
            elif denial:
                why, choice = f"matched {quoted}{about}, which denies it", "absent"
            elif negated:
                why = f"matched {quoted}{about}, negated by {self._trigger(doc, probe, NEGATED)}"
                choice = "absent"
            else:
                why, choice = f"matched {quoted}{about}", "present"
            out.append(Mention(fid, choice, ent.start_char, ent.end_char, why))
        return out

    def _childhood(self, doc: Any, text: str) -> list[Mention]:
        """A person who is a child now: "I'm 15", or a carer's "my son is 10"."""
        patient = self._patient_relative(doc)
        if patient is not None:
            said = age_after(text, doc[patient].idx + len(doc[patient].text))
            return people.childhood_onset(said or own_age(text), "the person written about")
        return people.childhood_onset(own_age(text), "the writer")

    def _patient_relative(self, doc: Any) -> int | None:
        """In a text whose writer speaks of themselves only as the one who watches ("My mother
        is 91. Her hands ...", "I'm worried about my son, his eye keeps twitching"), the first
        relative named after "my"/"our" is the person assessed, not a relative: the token index
        of that trigger, else None. Other relatives ("His dad had tics") keep their scope. A
        text with no symptom at all ("My uncle had ALS") is a history, not a carer's account."""
        if self._watching(doc) is None:
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

    def _watching(self, doc: Any) -> list[tuple[int, int]] | None:
        """The token spans where the writer speaks of themselves as the one who watches ("I'm
        worried", "I noticed", "he told me") in a text that speaks of someone else ("he",
        "her"); None where "I" or "me" says anything else (their own complaint). A text with
        no "I" or "me" has none."""
        lang = self.lexicon.language
        firsts = [t for t in doc if t.lower_ in {"i", "me", "myself"}]
        if not firsts:
            return []
        if not any(t.lower_ in people.THIRD_PERSON[lang] for t in doc):
            return None
        watching, linking = people.WATCHING[lang], people.LINKING[lang]
        spans = []
        for t in firsts:
            if t.lower_ == "me":
                if t.i == 0 or doc[t.i - 1].lower_ not in people.TELLING[lang]:
                    return None
                spans.append((t.i - 1, t.i + 1))
                continue
            nxt = t.i + 1
            while nxt < len(doc) and doc[nxt].lower_ in linking:
                nxt += 1
            if nxt >= len(doc) or doc[nxt].lower_ not in watching:
                return None
            spans.append((t.i, nxt + 1))
        return spans

    def _scopes(self, doc: Any, pipe: str) -> tuple[list[int], list[tuple[list[Any], list[Any]]]]:
        """negspaCy's matches and boundaries for one scope, bucketed by boundary (computed once
        per text and kept on the Doc). The library's own loop over boundaries reads every entity
        of the text for each boundary, which takes ~200 ms on a 5,000-character text; bucketing
        keeps the same rule (a trigger in the entity's boundary, before it or after it) linear."""
        key = f"tc_scopes_{pipe}"
        if key not in doc.user_data:
            component = self.nlp.get_pipe(pipe)
            preceding, following, terminating = component.process_negations(doc)
            # A terminating word inside a trigger is the trigger's own ("I don't think I'm
            # weak": "I'm" ends no scope there).
            triggers = [(lo, hi) for _id, lo, hi in (*preceding, *following)]
            terminating = [t for t in terminating if not any(lo < t[1] < hi for lo, hi in triggers)]
            if pipe == HEDGED:
                preceding = _off_amounts(doc, preceding, following=False)
                following = _off_amounts(doc, following, following=True)
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
        # A trigger that runs into the entity is the phrase's own word ("I couldnt sleep": the
        # phrase "not sleep" holds the "nt" of "couldnt"), not a scope around it.
        before = [m for m in preceding if m[2] <= ent.start]
        after = [m for m in following if m[1] >= ent.end]
        for _id, start, end in before[-1:] or after[:1]:
            return int(start), str(doc[start:end].text)
        return None

    def _trigger(self, doc: Any, ent: Any, pipe: str) -> str:
        """The words that put ``ent`` in a scope, quoted for ``why``."""
        found = self._trigger_at(doc, ent, pipe)
        return "its context" if found is None else f"'{found[1]}'"

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

    def _with_implied(self, kept: list[Mention]) -> list[Mention]:
        """A red flag that a present finding implies by the KB is said too, from the same
        words: "short of breath lying down" says trouble breathing, "legs weaker by the day"
        says weakness. The parse names every red flag the text states (issue 17: none missed)
        rather than leave it to closure. A place inside a place is said too ("my nostril
        twitches" names the nose: the KB's part-of implications between locations); other
        parents are left to closure. Never over a stated choice or a present member of its
        group."""
        lex = self.lexicon

        def said(if_: str, then: str) -> bool:
            places = lex.categories.get(if_) == lex.categories.get(then) == "location"
            return then in lex.red_flags or places

        chosen = {m.id: m for m in kept}
        taken = {lex.group_of(m.id) for m in kept if m.choice == "present"} - {None}
        queue = [m for m in kept if m.choice == "present"]
        while queue:
            m = queue.pop(0)
            for if_, then in lex.implications:
                if if_ != m.id or then in chosen or not said(if_, then):
                    continue
                if lex.group_of(then) in taken:
                    continue
                why = f"{m.why}; so also '{lex.labels.get(then, then)}' (the KB: {if_} implies it)"
                chosen[then] = Mention(then, "present", m.start, m.end, why, "implied")
                queue.append(chosen[then])
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


def _off_amounts(doc: Any, triggers: list[Any], following: bool) -> list[Any]:
    """Hedge triggers that do not hedge a length of time: "for maybe 6 months my feet feel
    numb", "4 months maybe, my legs ..." and "a couple of weeks I think" approximate the time
    (as "like 6 coffees" approximates an amount, contracts §6), not the findings beside it.
    A trigger inside the time, a preceding one just before it, or one just after it that
    looks back (a following trigger, or one that ends its clause) is the time's; "6 months,
    maybe some tingling" still hedges the tingling."""
    spans = [(d.start, d.end) for d in durations(doc.text)]
    if not spans:
        return triggers
    text = doc.text

    def of_time(start: int, end: int) -> bool:
        lo, hi = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
        ends_clause = end >= len(doc) or doc[end].is_punct
        for s, e in spans:
            inside = s <= lo and hi <= e
            before = not following and hi <= s and not text[hi:s].strip()
            after = e <= lo and not text[e:lo].strip() and (following or ends_clause)
            if inside or before or after:
                return True
        return False

    return [t for t in triggers if not of_time(t[1], t[2])]
