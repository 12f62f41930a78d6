"""The word lists the parser adds to negspaCy's English termset (issue 17).

negspaCy's defaults miss lay English (measured: "no twitching today, possible weakness" negates
the weakness; "maybe", "might", "I think" are not hedges; "mum", "nan", "gran" are not relatives),
so the three scopes the parser reads — negation, hedging and "about a relative" — each get the
library's matcher and scoping with these lists. Keyed by language so another can be added.
"""

from __future__ import annotations

from typing import Final

#: Words that end any scope: a new clause about something else starts here. A comma alone does
#: not end a scope ("no weakness, numbness or tingling" denies all three); a comma followed by
#: a new subject or a hedge does.
TERMINATION: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "but",
        "although",
        "though",
        "however",
        "yet",
        "still",
        "except",
        "apart from",
        "aside from",
        "whereas",
        "while",
        "which",
        "because",
        "since",
        "so",
        "then",
        "now",
        "also",
        "plus",
        "possible",
        "possibly",
        "maybe",
        "might",
        "perhaps",
        "probably",
        "i think",
        "i guess",
        "not sure",
        "and i",
        "and i'm",
        "and my",
        "and it",
        "and it's",
        "and the",
        ", i",
        ", i'm",
        ", my",
        ", it",
        ", it's",
        ", the",
        ", and",
        ", just",
        ", some",
        ", possible",
        ", maybe",
        ";",
        "i have",
        "i've",
        "i get",
        "i'm",
        "i am",
        "i feel",
        "i also",
        "i do",
        "i drink",
        "i sleep",
        "there is",
        "there's",
        "it's",
        "it is",
    ),
}

#: Negations before the words they deny (beyond negspaCy's "no", "not", "don't", "never" ...).
PRECEDING_NEGATIONS: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "i don't think",
        "i do not think",
        "i dont think",
        "don't think",
        "do not think",
        # the person's own "I'm" / "I have" inside the trigger ends no scope (parser._scopes)
        *(
            f"{lead} {me}"
            for lead in ("i don't think", "i do not think", "i dont think", "don't think")
            for me in ("i'm", "im", "i am", "i have", "i've", "i feel")
        ),
        "no sign of",
        "no signs of",
        "nothing wrong with",
        "none",
        "nothing like",
        "neither",
        "nor",
        "free of",
        "haven't had",
        "havent had",
        "have not had",
        "hasn't",
        "hasnt",
        "has not",
        "haven't",
        "havent",
        "have not",
        "not had",
        "no more",
        "no longer",
        "zero",
        "not any",
        "never had",
        "didn't notice",
        "did not notice",
        "haven't noticed",
        "have not noticed",
        "ruled out",
    ),
}

#: Negations after the words they deny ("weakness: none", "weakness, no").
FOLLOWING_NEGATIONS: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "none",
        "not really",
        "isn't an issue",
        "is not an issue",
        "not a problem",
        "gone now",
        # a test's result said after what it looked for ("bloods for diabetes were fine")
        *(
            f"{verb} {result}"
            for verb in ("were", "came back", "come back")
            for result in ("fine", "normal", "ok", "negative", "clear")
        ),
    ),
}

#: Phrases that look like a negation but deny nothing ("no idea", "can't stop checking").
PSEUDO_NEGATIONS: dict[str, tuple[str, ...]] = {
    "en": (
        "no idea",
        "no matter",
        "not only",
        "not just",
        "nothing but",
        "can't stop",
        "cannot stop",
        "can't help",
        "can not stop",
        "couldn't stop",
        "not sure",
        "no further",
        "no change",
        "not a big",
        "no doubt",
        "without fail",
        "not long ago",
        "not much sleep",
        "no sleep",
        "not sleeping",
        "not enough",
        "not eating",
        "not drinking enough",
    ),
}

#: "Can't raise my eyebrow" states a deficit, not the absence of one: an inability verb after
#: "can't" makes the pair a pseudo-negation (the finding's own phrases carry the meaning).
_INABLE = ("can't", "cannot", "can not", "couldn't", "could not", "unable to", "cant")
_DEFICIT_VERBS = (
    "close",
    "raise",
    "wrinkle",
    "move",
    "lift",
    "smile",
    "grip",
    "walk",
    "swallow",
    "breathe",
    "speak",
    "talk",
    "get my words",
    "get food",
    "get solid",
    "get solids",
    "get my food",
    "get anything down",
    "get drinks down",
    "get up",
    "get out of",
    "climb",
    "open",
    "carry",
    "pick up",
    "squeeze",
    "reach",
    "taste",
    "smell",
    "see",
    "sleep",
    "do up",
    "stand",
    "chew",
    "catch my breath",
    "hold",
    "keep my eye",
    "keep my balance",
    "lie flat",
    "turn",
    "frown",
    "feel",
)
PSEUDO_NEGATIONS["en"] = (
    *PSEUDO_NEGATIONS["en"],
    *(f"{neg} {verb}" for neg in _INABLE for verb in _DEFICIT_VERBS),
)

#: Hedges: a hedged finding is unknown, never present ("maybe some tingling").
PRECEDING_HEDGES: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "maybe",
        "might",
        "might have",
        "might be",
        "may",
        "may have",
        "possibly",
        "possible",
        "perhaps",
        "probably",
        "i think",
        "i guess",
        "i suppose",
        "i suspect",
        "not sure",
        "not sure if",
        "unsure",
        "could be",
        "could have",
        "kind of",
        "sort of",
        "kinda",
        "sorta",
        "i wonder if",
        "wondering if",
        "seems like",
        "a hint of",
        "slight hint of",
        "not certain",
        "dunno if",
        "don't know if",
        "do not know if",
        "hard to say if",
    ),
}
FOLLOWING_HEDGES: Final[dict[str, tuple[str, ...]]] = {
    "en": ("maybe", "i think", "i guess", "possibly", "?", "not sure", "perhaps", "or not"),
}
PSEUDO_HEDGES: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "i don't think",
        "i do not think",
        "i dont think",
        "might be als",
        "may be als",
        # asking whether to worry says the worry: the question mark hedges nothing here
        "should i be worried",
        "should i be concerned",
        "should i worry",
        "am i right to be worried",
    ),
}

#: Relatives, formal and informal: what follows is their history, never the person's own.
RELATIVES: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "mum",
        "mom",
        "mam",
        "mummy",
        "mommy",
        "mother",
        "dad",
        "daddy",
        "father",
        "papa",
        "nan",
        "nana",
        "nanna",
        "gran",
        "granny",
        "grandma",
        "grandmother",
        "grandpa",
        "grandad",
        "granddad",
        "grandfather",
        "grandparent",
        "grandparents",
        "uncle",
        "aunt",
        "auntie",
        "aunty",
        "brother",
        "sister",
        "sibling",
        "siblings",
        "cousin",
        "son",
        "daughter",
        "child",
        "kid",
        "kids",
        "parent",
        "parents",
        "relative",
        "relatives",
        "family history",
        "family history of",
        "in the family",
        "in my family",
        "stepdad",
        "stepmum",
        "stepmom",
        "half-brother",
        "half-sister",
        "my family",
        "family member",
    ),
}
FOLLOWING_RELATIVES: Final[dict[str, tuple[str, ...]]] = {
    "en": ("runs in my family", "runs in the family", "in my family", "in the family"),
}
#: Relatives who only report what they see ("my family say my face looks blank"): the finding
#: is the person's. (One named relative, "my son says his nose twitches", stays a trigger: a
#: carer's text is read by parser.TextParser._patient_relative.)
REPORTING_RELATIVES: Final[dict[str, tuple[str, ...]]] = {
    "en": tuple(
        f"{who} {verb}"
        for who in ("family", "parents", "relatives", "my family", "my parents", "my relatives")
        for verb in ("say", "says", "said", "noticed", "think", "thinks", "tell me", "told me")
    ),
}
#: The person speaking of themselves again ends a relative's scope.
RELATIVE_TERMINATION: Final[dict[str, tuple[str, ...]]] = {
    "en": ("i", "i'm", "i've", "me", "myself", "my own"),
}

#: Stems of words that say a body part moves: a body part (a finding's ``text.parts``) gives
#: its location finding only in a sentence with one of these (pipeline.stem applied).
MOVEMENT: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        "twitch",
        "twitchy",
        "jump",
        "jumpy",
        "flicker",
        "trembl",
        "jerk",
        "spasm",
        "rippl",
        "quiver",
        "flutter",
        "tic",
        "grimac",
        "smack",
        "pucker",
        "pulsat",
        "throb",
        "fasciculat",
        "spasam",
        "twich",
        "twitc",
        "shak",
        "blink",
    ),
}

#: Words that join a second state to the same subject ("my periods are irregular but heavy").
STATE_JOINERS: Final[dict[str, tuple[str, ...]]] = {"en": ("but", "yet")}
#: Words that may stand between a joiner and its state ("but really heavy").
INTENSIFIERS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("really", "very", "so", "quite", "pretty", "super", "too", "also", "still", "more")
}
