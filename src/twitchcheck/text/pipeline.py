"""The spaCy pipeline, built on first use (never at import): a blank English tokenizer, a
rule-based sentencizer, a crude stemmer, a phrase matcher over the KB's lay phrases and three
negspaCy scopes (negation, hedge, relative).

No model is downloaded or loaded: ``spacy.blank`` needs only the installed package. The libraries
are imported inside :func:`build` so that importing twitchcheck never pays their start-up cost.
spaCy's and negspaCy's loggers are capped at WARNING so that no library logs the text.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from twitchcheck.text import forms, terms
from twitchcheck.text.lexicon import Lexicon

#: Extension names on spaCy spans.
NEGATED, HEDGED, RELATIVE = "tc_negated", "tc_hedged", "tc_relative"
#: The span groups of subject-state matches (``text.states``) and of phrases inside another
#: finding's longer phrase, kept beside ``doc.ents``.
STATE_SPANS, NESTED_SPANS = "tc_states", "tc_nested"
#: The label prefix of a denial phrase (``text.denials``): "no:muscle_weakness".
DENIAL = "no:"
_QUIET_LOGGERS = ("spacy", "negspacy", "thinc", "spacy.matcher", "root")


def stem(word: str) -> str:
    """A crude English stem so that "twitches", "twitching" and "twitched" match "twitch".

    Applied the same way to the text and to the phrases, so it need only be consistent.
    Contractions and irregular forms are first read as their base word (forms.BASE_FORMS:
    "can't" and "cannot" both read "can not", "fallen" reads "fall").
    """
    w = word.lower().replace("\u2019", "'")
    w = forms.BASE_FORMS.get("en", {}).get(w, w)
    if len(w) <= 3:
        return w
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    else:
        if w.endswith(("ches", "shes", "sses", "xes", "zes")):
            w = w[:-2]
        elif w.endswith("ies") and len(w) > 4:
            w = w[:-3] + "y"
        elif w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def _quiet() -> None:
    for name in _QUIET_LOGGERS[:-1]:
        logging.getLogger(name).setLevel(logging.WARNING)


def termset(lang: str, kind: str) -> dict[str, list[str]]:
    """negspaCy's termset for one scope: the library's own lists plus ours (terms.py)."""
    from negspacy.termsets import LANGUAGES

    base: dict[str, list[str]] = LANGUAGES[lang]
    stop = list(terms.TERMINATION.get(lang, ()))
    if kind == "relative":
        # "My family say my face looks blank": the relative reports, the finding is the person's.
        return {
            "pseudo_negations": list(terms.REPORTING_RELATIVES[lang]),
            "preceding_negations": list(terms.RELATIVES[lang]),
            "following_negations": list(terms.FOLLOWING_RELATIVES[lang]),
            "termination": [*base["termination"], *stop, *terms.RELATIVE_TERMINATION[lang]],
        }
    if kind == "negation":
        return {
            "pseudo_negations": [*base["pseudo_negations"], *terms.PSEUDO_NEGATIONS[lang]],
            "preceding_negations": [*base["preceding_negations"], *terms.PRECEDING_NEGATIONS[lang]],
            "following_negations": [*base["following_negations"], *terms.FOLLOWING_NEGATIONS[lang]],
            "termination": [*base["termination"], *stop],
        }
    if kind == "hedge":
        # "I think I have some weakness": a first-person opener does not end a hedge's scope.
        stop = [t for t in stop if not t.startswith(("i ", "i'", "and i"))]
        return {
            "pseudo_negations": list(terms.PSEUDO_HEDGES[lang]),
            "preceding_negations": list(terms.PRECEDING_HEDGES[lang]),
            "following_negations": list(terms.FOLLOWING_HEDGES[lang]),
            "termination": [*base["termination"], *stop],
        }
    raise ValueError(f"unknown scope: {kind}")


def build(lexicon: Lexicon) -> Any:
    """The pipeline for ``lexicon`` (spaCy's Language; typed Any: spaCy is optional to mypy)."""
    _quiet()
    import negspacy.negation  # noqa: F401  (registers the "negex" factory)
    import spacy
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    lang = lexicon.language
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")

    def set_norms(doc: Doc) -> Doc:
        for token in doc:
            token.norm_ = stem(token.text)
        return doc

    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    for label, phrases in [
        *lexicon.phrases.items(),
        *(
            (f"{DENIAL}{fid}", [v for w in words for v in forms.fine_variants(w, lang)])
            for fid, words in lexicon.denials.items()
        ),
    ]:
        patterns = [set_norms(nlp.make_doc(p)) for p in phrases]
        if patterns:
            matcher.add(label, patterns)

    parts = PhraseMatcher(nlp.vocab, attr="NORM")
    for finding, words in lexicon.parts.items():
        patterns = [set_norms(nlp.make_doc(w)) for w in words]
        if patterns:
            parts.add(finding, patterns)
    states = _state_matcher(nlp, lexicon)
    typos = _typo_matcher(nlp, lexicon)
    movement = tuple(terms.MOVEMENT.get(lang, ()))
    name = f"tc_findings_{id(lexicon)}"

    @Language.component(name)
    def find(doc: Doc) -> Doc:
        set_norms(doc)
        said = [_span(doc, start, end, nlp.vocab.strings[m]) for m, start, end in matcher(doc)]
        # After the exact matches, so that an exact phrase wins a tie of length.
        said += [_span(doc, s, e, nlp.vocab.strings[m]) for m, s, e in typos.run(doc)]
        spans = list(said)
        moving = {
            sent.start for sent in doc.sents if any(t.norm_.startswith(movement) for t in sent)
        }
        for m, start, end in parts(doc):
            if doc[start].sent.start in moving:
                spans.append(_span(doc, start, end, nlp.vocab.strings[m]))
        # Longest first; a phrase beats a body part of the same length (it came first).
        doc.ents = filter_spans(spans)
        # Body parts too: "the side of my nose twitches" also says the nose.
        doc.spans[NESTED_SPANS] = _nested(doc.ents, spans, lexicon.categories)
        # A subject and its state may span words that are phrases of other findings ("waking
        # up tired with a headache"): they are kept beside the entities, not among them.
        doc.spans[STATE_SPANS] = filter_spans(
            [_span(doc, s, e, nlp.vocab.strings[m]) for m, s, e in states.run(doc)]
        )
        return doc

    nlp.add_pipe(name)
    for ext, kind in ((NEGATED, "negation"), (HEDGED, "hedge"), (RELATIVE, "relative")):
        nlp.add_pipe(
            "negex",
            name=ext,
            config={"neg_termset": termset(lang, kind), "extension_name": ext},
        )
        # The scopes are read with the component's own matcher and boundaries by the parser
        # (parser.TextParser._scopes): its per-entity loop is quadratic on long texts.
        nlp.disable_pipe(ext)
    return nlp


class GatedMatcher:
    """A spaCy Matcher run only on the sentences that could match (``gate``): the Matcher's
    set and fuzzy predicates are checked in Python for every token and every pattern, which
    costs milliseconds on a long text; most sentences hold none of the words it needs."""

    def __init__(self, matcher: Any, gate: Callable[[Any], bool]) -> None:
        self.matcher, self.gate = matcher, gate

    def run(self, doc: Any) -> list[tuple[int, int, int]]:
        if not len(self.matcher):  # an empty Matcher warns on every call
            return []
        return [
            (m, sent.start + start, sent.start + end)
            for sent in doc.sents
            if self.gate(sent)
            for m, start, end in self.matcher(sent)
        ]


def _state_matcher(nlp: Any, lexicon: Lexicon) -> GatedMatcher:
    """spaCy's Matcher over the KB's state patterns (``text.states``): a subject word and a
    state word (in either order unless ``order`` says) with at most ``within`` words between
    them, none of them a clause break ("my throat is so tight", "tight throat")."""
    from spacy.matcher import Matcher

    matcher = Matcher(nlp.vocab)
    # Words between may not end a clause: punctuation (but a hyphen) or a terminating word.
    # A hedge ends no clause here: "my throat might be tight" is read, then hedged.
    hedges = set(terms.PRECEDING_HEDGES.get(lexicon.language, ()))
    breaks = [w for w in terms.TERMINATION.get(lexicon.language, ()) if w.isalpha()]
    breaks = [w for w in breaks if w not in hedges]
    stops = [*breaks, "or", ",", ".", ";", ":", "!", "?", "(", ")", "\n"]
    pairs: list[tuple[frozenset[str], frozenset[str]]] = []
    joiner = {"LOWER": {"IN": list(terms.STATE_JOINERS.get(lexicon.language, ()))}}
    intensifier = {"LOWER": {"IN": list(terms.INTENSIFIERS.get(lexicon.language, ()))}, "OP": "?"}
    for finding, patterns in lexicon.states.items():
        rules: list[list[dict[str, Any]]] = []
        for p in patterns:
            gap: dict[str, Any] = {"LOWER": {"NOT_IN": stops}, "OP": f"{{0,{p.within}}}"}
            subjects = frozenset(stem(w) for w in p.subject)
            words = frozenset(stem(w) for w in p.state)
            pairs.append((subjects, words))
            subject = {"NORM": {"IN": sorted(subjects)}}
            state = {"NORM": {"IN": sorted(words)}}
            rules.append([state, gap, subject])
            if p.order == "any":
                rules.append([subject, gap, state])
                # "but" joining two states of one subject ("irregular but really heavy"):
                # the state right after it (an intensifier aside) is still the subject's.
                rules.append([subject, gap, joiner, intensifier, state])
        if rules:
            matcher.add(finding, rules, greedy="LONGEST")

    def gate(sent: Any) -> bool:
        norms = {t.norm_ for t in sent}
        return any(subjects & norms and words & norms for subjects, words in pairs)

    return GatedMatcher(matcher, gate)


#: A word of a phrase this long (letters only) may be misspelt by one edit.
TYPO_MIN_LETTERS = 8


def _typo_matcher(nlp: Any, lexicon: Lexicon) -> GatedMatcher:
    """spaCy's Matcher with ``FUZZY1`` on the long words of the KB's phrases, so that one slip
    of the keyboard does not hide a finding ("weaknesss", "nose twiching", "swalowing
    problems", "numbnes"). Only words of at least TYPO_MIN_LETTERS letters: a short word one
    edit away is too often another word ("weak"/"wear"); real words one edit from a phrase
    word are listed in forms.NOT_TYPOS. Run only on a sentence with a long word that is no
    phrase word itself but one edit from one (spaCy's own Levenshtein test)."""
    from spacy.matcher import Matcher
    from spacy.matcher.levenshtein import (  # type: ignore[import-not-found]  # a .pyx, no stub
        levenshtein_compare,
    )

    matcher = Matcher(nlp.vocab)
    real = sorted(forms.NOT_TYPOS.get(lexicon.language, frozenset()))
    known: set[str] = set()
    for finding in sorted(lexicon.phrases):
        rules: list[list[dict[str, Any]]] = []
        for phrase in lexicon.phrases.get(finding, ()):
            words = [t.text.lower() for t in nlp.make_doc(phrase)]
            long = [len(w) >= TYPO_MIN_LETTERS and w.isalpha() for w in words]
            known.update(w for w, is_long in zip(words, long, strict=True) if is_long)
            if any(long):
                rules.append(
                    [
                        {"LOWER": {"FUZZY1": w, "NOT_IN": real}} if is_long else {"NORM": stem(w)}
                        for w, is_long in zip(words, long, strict=True)
                    ]
                )
        if rules:
            matcher.add(finding, rules)
    every = {w.lower() for words in lexicon.phrases.values() for p in words for w in p.split()}

    @functools.lru_cache(maxsize=4096)
    def near(word: str) -> bool:
        """One edit from a long phrase word (and no phrase word itself)."""
        if len(word) < TYPO_MIN_LETTERS - 1 or word in every or word in real:
            return False
        return any(abs(len(w) - len(word)) <= 1 and levenshtein_compare(word, w, 1) for w in known)

    def gate(sent: Any) -> bool:
        return any(near(t.lower_) for t in sent if t.is_alpha)

    return GatedMatcher(matcher, gate)


#: (the outer phrase's category, the inner phrase's category) where a phrase inside a longer
#: phrase of another finding is said too: a place inside a place ("the tip of my nose twitches":
#: the nose), a course inside a place ("it spread to my cheek": getting worse), a place inside
#: a movement ("blinking a lot": the eyelid), a medicine inside a medicine change ("started a
#: statin"). Not inside a symptom: "my voice is weak" says no muscle weakness, "the tongue
#: feels thick" no tongue twitch; nor a course inside a medicine ("increased my dose").
NESTING: frozenset[tuple[str, str]] = frozenset(
    {
        ("location", "location"),
        ("location", "time_course"),
        ("character", "location"),
        ("history", "history"),
    }
)


def _nested(ents: Any, phrases: list[Any], categories: dict[str, str]) -> list[Any]:
    """Phrases of another finding inside a longer entity that are said too (NESTING)."""
    from spacy.util import filter_spans

    def nests(outer: str, inner: str) -> bool:
        pair = (categories.get(outer, ""), categories.get(inner, ""))
        return outer != inner and pair in NESTING

    outer = {(e.start, e.end): e.label_ for e in ents}
    inner = [
        sp
        for sp in phrases
        if (sp.start, sp.end) not in outer
        and any(
            lo <= sp.start and sp.end <= hi and nests(lab, sp.label_)
            for (lo, hi), lab in outer.items()
        )
    ]
    return list(filter_spans(inner))


def _span(doc: Any, start: int, end: int, label: str) -> Any:
    from spacy.tokens import Span

    return Span(doc, start, end, label=label)
