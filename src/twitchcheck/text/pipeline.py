"""The spaCy pipeline, built on first use (never at import): a blank English tokenizer, a
rule-based sentencizer, a crude stemmer, a phrase matcher over the KB's lay phrases and three
negspaCy scopes (negation, hedge, relative).

No model is downloaded or loaded: ``spacy.blank`` needs only the installed package. The libraries
are imported inside :func:`build` so that importing twitchcheck never pays their start-up cost.
spaCy's and negspaCy's loggers are capped at WARNING so that no library logs the text.
"""

from __future__ import annotations

import logging
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
        *((f"{DENIAL}{fid}", words) for fid, words in lexicon.denials.items()),
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
    movement = tuple(terms.MOVEMENT.get(lang, ()))
    name = f"tc_findings_{id(lexicon)}"

    @Language.component(name)
    def find(doc: Doc) -> Doc:
        set_norms(doc)
        said = [_span(doc, start, end, nlp.vocab.strings[m]) for m, start, end in matcher(doc)]
        spans = list(said)
        moving = {
            sent.start for sent in doc.sents if any(t.norm_.startswith(movement) for t in sent)
        }
        for m, start, end in parts(doc):
            if doc[start].sent.start in moving:
                spans.append(_span(doc, start, end, nlp.vocab.strings[m]))
        # Longest first; a phrase beats a body part of the same length (it came first).
        doc.ents = filter_spans(spans)
        doc.spans[NESTED_SPANS] = _nested(doc.ents, said)
        # A subject and its state may span words that are phrases of other findings ("waking
        # up tired with a headache"): they are kept beside the entities, not among them.
        found = states(doc) if len(states) else []  # an empty Matcher warns on every call
        doc.spans[STATE_SPANS] = filter_spans(
            [_span(doc, s, e, nlp.vocab.strings[m]) for m, s, e in found]
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


def _state_matcher(nlp: Any, lexicon: Lexicon) -> Any:
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
    for finding, patterns in lexicon.states.items():
        rules: list[list[dict[str, Any]]] = []
        for p in patterns:
            gap: dict[str, Any] = {"LOWER": {"NOT_IN": stops}, "OP": f"{{0,{p.within}}}"}
            subjects = {"NORM": {"IN": sorted({stem(w) for w in p.subject})}}
            words = {"NORM": {"IN": sorted({stem(w) for w in p.state})}}
            rules.append([words, gap, subjects])
            if p.order == "any":
                rules.append([subjects, gap, words])
        if rules:
            matcher.add(finding, rules, greedy="LONGEST")
    return matcher


def _nested(ents: Any, phrases: list[Any]) -> list[Any]:
    """Phrases of another finding inside a longer entity, which are said too ("I started a
    statin": a medicine change and a statin; "my lip and nostril twitch": the upper lip and the
    nostril); a phrase that only repeats its entity's finding is left out."""
    from spacy.util import filter_spans

    outer = {(e.start, e.end): e.label_ for e in ents}
    inner = [
        sp
        for sp in phrases
        if (sp.start, sp.end) not in outer
        and any(
            lo <= sp.start and sp.end <= hi and lab != sp.label_ for (lo, hi), lab in outer.items()
        )
    ]
    return list(filter_spans(inner))


def _span(doc: Any, start: int, end: int, label: str) -> Any:
    from spacy.tokens import Span

    return Span(doc, start, end, label=label)
