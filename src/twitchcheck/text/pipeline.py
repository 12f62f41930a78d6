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

from twitchcheck.text import terms
from twitchcheck.text.lexicon import Lexicon

#: Extension names on spaCy spans.
NEGATED, HEDGED, RELATIVE = "tc_negated", "tc_hedged", "tc_relative"
_QUIET_LOGGERS = ("spacy", "negspacy", "thinc", "spacy.matcher", "root")


def stem(word: str) -> str:
    """A crude English stem so that "twitches", "twitching" and "twitched" match "twitch".

    Applied the same way to the text and to the phrases, so it need only be consistent.
    """
    w = word.lower()
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
    return {
        "pseudo_negations": [],
        "preceding_negations": list(terms.RELATIVES[lang]),
        "following_negations": list(terms.FOLLOWING_RELATIVES[lang]),
        "termination": [*base["termination"], *stop, *terms.RELATIVE_TERMINATION[lang]],
    }


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
    for finding, phrases in lexicon.phrases.items():
        patterns = [set_norms(nlp.make_doc(p)) for p in phrases]
        if patterns:
            matcher.add(finding, patterns)

    parts = PhraseMatcher(nlp.vocab, attr="NORM")
    for finding, words in lexicon.parts.items():
        patterns = [set_norms(nlp.make_doc(w)) for w in words]
        if patterns:
            parts.add(finding, patterns)
    movement = tuple(terms.MOVEMENT.get(lang, ()))
    name = f"tc_findings_{id(lexicon)}"

    @Language.component(name)
    def find(doc: Doc) -> Doc:
        set_norms(doc)
        spans = [_span(doc, start, end, nlp.vocab.strings[m]) for m, start, end in matcher(doc)]
        moving = {
            sent.start for sent in doc.sents if any(t.norm_.startswith(movement) for t in sent)
        }
        for m, start, end in parts(doc):
            if doc[start].sent.start in moving:
                spans.append(_span(doc, start, end, nlp.vocab.strings[m]))
        # Longest first; a phrase beats a body part of the same length (it came first).
        doc.ents = filter_spans(spans)
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


def _span(doc: Any, start: int, end: int, label: str) -> Any:
    from spacy.tokens import Span

    return Span(doc, start, end, label=label)
