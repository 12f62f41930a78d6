"""A medicine started, named by its drug name (issue 17): "since I started sertraline", "after
they put him on amantadine", "since starting the metformin".

The KB's ``recent_medication_change`` phrases name medicines in general ("new tablets",
"started me on"); people name the drug itself. A word is read as a drug name when a KB finding
about a medicine lists it (``takes_*`` phrases) or when it ends in a stem of the WHO's
International Nonproprietary Names, the endings drug names share by class ("The use of stems in
the selection of International Nonproprietary Names (INN) for pharmaceutical substances", WHO:
-pril, -sartan, -olol, -statin, -prazole, -oxetine ...). A medicine only taken ("been taking
pseudoephedrine for 3 days") is not a change: the words must say it was started.
"""

from __future__ import annotations

import re
from typing import Final

from twitchcheck.text.lexicon import Lexicon
from twitchcheck.text.spans import Mention

#: INN stems (WHO stem book) of drugs people commonly start, and a few names without a stem.
DRUG_STEMS: Final[tuple[str, ...]] = (
    "pril", "sartan", "olol", "dipine", "statin", "prazole", "tidine", "azepam", "azolam",
    "oxetine", "faxine", "traline", "opram", "triptyline", "pramine", "apine", "peridol",
    "peridone", "piprazole", "azepine", "azodone", "triptan", "semide", "thiazide", "cycline",
    "cillin", "floxacin", "mycin", "gliptin", "gliflozin", "formin", "glutide", "lukast",
    "profen", "coxib", "olone", "asone", "amfetamine", "amphetamine", "phenidate", "mantadine",
    "tinib", "conazole", "dronate", "parin", "terol", "gabalin", "pentin", "dopa", "pexole",
    "inirole", "codone", "trigine", "proate", "pidem", "piclone", "nidine", "setron",
)  # fmt: skip
DRUG_NAMES: Final[tuple[str, ...]] = ("lithium", "insulin", "bupropion", "warfarin", "tramadol")
#: The shortest word read as a drug by its stem ("april" ends in -pril and is no drug).
_MIN_DRUG_LETTERS = 7

#: Who starts it, and the words between the start and the drug ("since I started on the ...").
_PEOPLE = r"(?:i|he|she|they|we|you|the\s+(?:doctor|gp|doc))"
_FILLER = r"(?:(?:on|onto|taking|the|a|an|my|his|her|their|some|new)\s+)*"
_START = re.compile(
    rf"\b(?:since|after|when|once)\s+{_PEOPLE}\s+(?:started|began|begun|restarted)\s+"
    rf"(?:(?:me|him|her|them|us)\s+)?{_FILLER}"
    rf"|\b(?:since|after|when|once)\s+(?:starting|beginning)\s+{_FILLER}"
    rf"|\b(?:started|put|switched|moved|changed)\s+(?:me|him|her|them|us)\s+(?:on|onto|to)\s+"
    rf"{_FILLER}",
    re.I,
)
_WORD = re.compile(r"[a-z][a-z-]+", re.I)


def is_drug_name(word: str, named: frozenset[str]) -> bool:
    w = word.lower()
    if w in named or w in DRUG_NAMES:
        return True
    return len(w) >= _MIN_DRUG_LETTERS and w.endswith(DRUG_STEMS)


def started_medicines(lex: Lexicon, text: str) -> list[Mention]:
    """A ``recent_medication_change`` for each drug the text says was started."""
    finding = "recent_medication_change"
    if finding not in lex.phrases:
        return []
    named = lex.medicine_words
    out: list[Mention] = []
    for m in _START.finditer(text):
        word = _WORD.match(text, m.end())
        if word is None or not is_drug_name(word.group(0), named):
            continue
        why = f"'{text[m.start() : word.end()]}': a medicine started ('{word.group(0)}')"
        out.append(Mention(finding, "present", m.start(), word.end(), why, "medicine"))
    return out
