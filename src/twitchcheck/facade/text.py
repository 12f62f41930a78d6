"""Free text beside the evidence (issue 17): parse it, then combine it with explicit answers.

Explicit evidence wins after closure: a parsed finding is used only when the explicit answers,
closed under the KB's implications and groups, say nothing about it and adding it contradicts
nothing; otherwise it is listed in ``overridden``. The text itself is never logged or kept.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from twitchcheck.engine.evidence import close_evidence
from twitchcheck.engine.model import EngineModel
from twitchcheck.errors import ContradictionError, ValueRangeError
from twitchcheck.kb import KnowledgeBase
from twitchcheck.results import Data
from twitchcheck.text import MAX_TEXT_CHARS, TextParser, build_lexicon


@dataclass(frozen=True)
class Combined:
    """Explicit and parsed evidence together; ``used`` are the parsed ids taken."""

    present: tuple[str, ...]
    absent: tuple[str, ...]
    used: tuple[str, ...]
    overridden: tuple[str, ...]


class TextReader:
    """Parses text for one KB (the spaCy pipeline loads on the first parse)."""

    def __init__(self, kb: KnowledgeBase, model: EngineModel) -> None:
        self.model = model
        self.parser = TextParser(build_lexicon(kb))

    def parse(self, text: object) -> Data:
        """The parse of ``text`` (contracts §6); a non-string or over-long text is an error."""
        if not isinstance(text, str):
            raise ValueRangeError("The text must be a string.")
        if len(text) > MAX_TEXT_CHARS:
            raise ValueRangeError(
                f"The text is {len(text)} characters long; at most {MAX_TEXT_CHARS} are read."
            )
        return self.parser.parse(text)

    def combine(
        self,
        parsed: Data,
        present: Iterable[str],
        absent: Iterable[str],
        unknown: Iterable[str] = (),
        hold: Collection[str] = (),
    ) -> Combined:
        """Explicit ``present``/``absent`` (and answered-unknown) plus the parsed findings.

        ``hold``: parsed ids left out without being overridden (the interview's red flags,
        which the safety screen confirms pre-filled).
        """
        model = self.model
        pres, abs_ = list(present), list(absent)
        explicit = close_evidence(pres, abs_, model.exclusive_groups, model.implications)
        said = explicit.present | explicit.absent | set(unknown)
        used: list[str] = []
        overridden: list[str] = []
        for item in parsed["findings"]:
            fid, choice = item["id"], item["choice"]
            if choice == "unknown" or fid in hold or fid in used:
                continue
            if fid in said:
                agrees = (choice == "present" and fid in explicit.present) or (
                    choice == "absent" and fid in explicit.absent
                )
                if not agrees:
                    overridden.append(fid)
                continue
            trial_p = [*pres, fid] if choice == "present" else pres
            trial_a = [*abs_, fid] if choice == "absent" else abs_
            try:
                close_evidence(trial_p, trial_a, model.exclusive_groups, model.implications)
            except ContradictionError:
                overridden.append(fid)
                continue
            pres, abs_ = trial_p, trial_a
            used.append(fid)
        return Combined(tuple(pres), tuple(abs_), tuple(used), tuple(overridden))


def parsed_block(parsed: Data, combined: Combined) -> Data:
    """The Assessment's (and the interview step's) ``parsed`` block."""
    block: Data = {
        "findings": parsed["findings"],
        "unplaced": parsed["unplaced"],
        "overridden": list(combined.overridden),
    }
    for key in ("age", "sex"):
        if key in parsed:
            block[key] = parsed[key]
    return block
