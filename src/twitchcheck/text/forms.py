"""Word forms the parser reads as one (issue 17), keyed by language."""

from __future__ import annotations

from typing import Final

#: Contractions and irregular forms read as their base words before stemming (pipeline.stem),
#: so that one phrase covers them: spaCy splits "can't" into "ca" + "n't" and "cannot" into
#: "can" + "not", so both read "can not"; "fallen" and "fell" read "fall".
BASE_FORMS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "n't": "not",
        # the same without the apostrophe, as people type ("cant", "dont", "im", "ive")
        "nt": "not",
        "s": "'s",  # "shes", "hes", "thats" split as "she" + "s"
        "'m": "am",
        "m": "am",
        "'ve": "have",
        "ve": "have",
        "'re": "are",
        "'ll": "will",
        "ll": "will",
        "ca": "can",
        "wo": "will",
        "went": "go",
        "gone": "go",
        "goes": "go",
        "going": "go",
        "fell": "fall",
        "fallen": "fall",
        "lost": "lose",
        "losing": "lose",
        "shrank": "shrink",
        "shrunk": "shrink",
        "stuck": "stick",
        "caught": "catch",
        "woke": "wake",
        "woken": "wake",
        "came": "come",
        "became": "become",
        "got": "get",
        "gotten": "get",
        "felt": "feel",
        "gave": "give",
        "thiner": "thinner",
    },
}

#: Real words one edit from a long word of a phrase: never read as its misspelling ("drooling"
#: is not "drooping", "dripping" is not "tripping", "camping" is not "cramping").
NOT_TYPOS: Final[dict[str, frozenset[str]]] = {
    "en": frozenset(
        {
            "arching",
            "bounding",
            "bragging",
            "brightened",
            "bumbling",
            "camping",
            "clamping",
            "contusion",
            "cramming",
            "crippling",
            "dripping",
            "drooling",
            "dropping",
            "founding",
            "granting",
            "griping",
            "headlines",
            "humbling",
            "inflection",
            "injection",
            "jingling",
            "lighting",
            "lightness",
            "matching",
            "parching",
            "ripping",
            "rounding",
            "rumbling",
            "scuffling",
            "sighting",
            "slurping",
            "smocking",
            "snacking",
            "sniffling",
            "snuffing",
            "snuffling",
            "sounding",
            "spanning",
            "spitting",
            "stacking",
            "stinking",
            "stocking",
            "stranger",
            "tinkling",
            "tippling",
            "tramping",
            "trapping",
            "tripling",
            "trooping",
        }
    ),
}


#: A denial said as "<subject> is fine" is said as often with another linking verb or another
#: word for "nothing wrong" ("my swallowing seems normal", "balance feels ok", "vision's
#: fine", "my speech hasn't changed"); one said as "<doing> fine" with another such adverb
#: ("can swallow ok", "breathing normally"). Each KB denial of either shape is read in all of
#: them (pipeline.build). "Looks" is left out: how a thing looks says little of how it works
#: ("my face looks fine"); so is "well": "not sleeping well" is a complaint, and a denial
#: would outrank its negation.
FINE_VERBS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("is", "'s", "are", "seems", "feels", "is still", "seems to be", "has been"),
}
FINE_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("fine", "normal", "ok", "okay", "good", "alright", "all right", "totally fine"),
}
UNCHANGED: Final[dict[str, tuple[str, ...]]] = {
    "en": ("hasn't changed", "has not changed", "is unchanged", "is the same as ever"),
}
FINE_ADVERBS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("fine", "ok", "okay", "normally", "alright", "without any trouble"),
}


def fine_variants(phrase: str, language: str) -> tuple[str, ...]:
    """The phrase and, if it reads "<subject> <verb> <fine word>", the same subject with every
    linking verb and fine word of ``language`` (and "unchanged"); if it reads "<doing> <fine
    adverb>", the same doing with every such adverb; any other phrase alone."""
    verbs, fines = FINE_VERBS.get(language, ()), FINE_WORDS.get(language, ())
    out = [phrase]
    for verb in verbs:
        for fine in fines:
            tail = f" {verb} {fine}"
            if phrase.endswith(tail) and len(phrase) > len(tail):
                subject = phrase[: -len(tail)]
                out += [f"{subject} {v} {f}".replace(" '", "'") for v in verbs for f in fines]
                out += [f"{subject} {u}" for u in UNCHANGED.get(language, ())]
                return tuple(dict.fromkeys(out))
    adverbs = FINE_ADVERBS.get(language, ())
    for adverb in adverbs:
        head = phrase.removesuffix(f" {adverb}")
        if head != phrase and head.strip():
            out += [f"{head} {a}" for a in adverbs]
            return tuple(dict.fromkeys(out))
    return (phrase,)
