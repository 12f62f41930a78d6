"""What the parser knows of a KB: lay phrases, hints and structure, copied out once.

Plain data (no spaCy here): the phrases of every finding in one language, who a finding is
about, its sudden and worsening forms, its amounts, and the KB's exclusive groups and
implications (so a parse never contradicts itself after closure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from twitchcheck.kb import KnowledgeBase
from twitchcheck.kb import schema as s


@dataclass(frozen=True)
class Lexicon:
    language: str
    phrases: dict[str, tuple[str, ...]]  # finding id -> lay phrases
    denials: dict[str, tuple[str, ...]]  # finding id -> lay phrases that deny it
    parts: dict[str, tuple[str, ...]]  # finding id -> body parts (need a movement word)
    states: dict[str, tuple[s.StatePattern, ...]]  # finding id -> subject-state patterns
    categories: dict[str, str]  # finding id -> its KB category
    about_relative: frozenset[str]
    sudden: dict[str, str]  # finding id -> the finding it becomes when sudden
    worsening: dict[str, dict[str, str]]  # finding id -> {pace: the worsening finding}
    amounts: dict[str, list[tuple[str, s.Amount]]]  # unit -> [(finding id, amount)]
    groups: dict[str, tuple[str, ...]]  # exclusive group id -> members
    implications: tuple[tuple[str, str], ...]
    red_flags: frozenset[str]
    labels: dict[str, str] = field(default_factory=dict)

    @cached_property
    def medicine_words(self) -> frozenset[str]:
        """The one-word medicine names of the KB's ``takes_*`` phrases ("omeprazole"), read once
        per lexicon rather than on every parse (text/medicines.py)."""
        return frozenset(
            p
            for fid, ps in self.phrases.items()
            if fid.startswith("takes_")
            for p in ps
            if " " not in p
        )

    def group_of(self, finding: str) -> str | None:
        for gid, members in self.groups.items():
            if finding in members:
                return gid
        return None


def build_lexicon(kb: KnowledgeBase, language: str = "en") -> Lexicon:
    phrases: dict[str, tuple[str, ...]] = {}
    denials: dict[str, tuple[str, ...]] = {}
    parts: dict[str, tuple[str, ...]] = {}
    states: dict[str, tuple[s.StatePattern, ...]] = {}
    sudden: dict[str, str] = {}
    worsening: dict[str, dict[str, str]] = {}
    amounts: dict[str, list[tuple[str, s.Amount]]] = {}
    for f in kb.findings:
        phrases[f.id] = tuple(f.phrases.get(language, ()))
        denials[f.id] = tuple(f.text.denials.get(language, ()))
        parts[f.id] = tuple(f.text.parts.get(language, ()))
        states[f.id] = tuple(f.text.states.get(language, ()))
        for base in f.text.sudden_of:
            sudden.setdefault(base, f.id)
        for base in f.text.worsening_of:
            worsening.setdefault(base, {})[f.text.pace or "weeks"] = f.id
        for amount in f.text.amounts:
            amounts.setdefault(amount.unit, []).append((f.id, amount))
    return Lexicon(
        language=language,
        phrases=phrases,
        denials=denials,
        parts=parts,
        states=states,
        categories={f.id: f.category for f in kb.findings},
        about_relative=frozenset(f.id for f in kb.findings if f.text.about == "relative"),
        sudden=sudden,
        worsening=worsening,
        amounts=amounts,
        groups={g.id: g.members for g in kb.structure.exclusive_groups},
        implications=tuple((i.if_, i.then) for i in kb.structure.implications),
        red_flags=frozenset(f.id for f in kb.findings if f.red_flag),
        labels={f.id: f.label for f in kb.findings},
    )
