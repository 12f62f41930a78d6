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
#: fine"); each KB denial of that shape is read in all of these (pipeline.build). "Looks" is
#: left out: how a thing looks says little of how it works ("my face looks fine").
FINE_VERBS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("is", "'s", "seems", "feels", "is still", "seems to be", "has been"),
}
FINE_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("fine", "normal", "ok", "okay", "good", "alright", "all right", "totally fine"),
}


def fine_variants(phrase: str, language: str) -> tuple[str, ...]:
    """The phrase and, if it reads "<subject> <verb> <fine word>", the same subject with every
    linking verb and fine word of ``language``; any other phrase alone."""
    verbs, fines = FINE_VERBS.get(language, ()), FINE_WORDS.get(language, ())
    for verb in verbs:
        for fine in fines:
            tail = f" {verb} {fine}"
            if phrase.endswith(tail) and len(phrase) > len(tail):
                subject = phrase[: -len(tail)]
                return tuple(
                    dict.fromkeys(
                        [
                            phrase,
                            *(
                                f"{subject} {v} {f}".replace(" '", "'")
                                for v in verbs
                                for f in fines
                            ),
                        ]
                    )
                )
    return (phrase,)
