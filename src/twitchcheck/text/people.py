"""Who the text is about (issue 17): the words by which a carer writing about a relative
speaks of themselves only as the one who watches. Keyed by language, as in terms.py."""

from __future__ import annotations

from typing import Final

from twitchcheck.text.spans import Mention

#: A carer's own words about watching (parser.TextParser._writer_only_watches): "I" followed,
#: past the LINKING words, by one of WATCHING; "me" after one of TELLING; and the text speaks
#: of someone in THIRD_PERSON. Anything else the writer says of "I" is their own complaint.
WATCHING: Final[dict[str, frozenset[str]]] = {
    "en": frozenset(
        {
            "worried",
            "worry",
            "concerned",
            "noticed",
            "notice",
            "think",
            "thought",
            "scared",
            "terrified",
            "frightened",
            "afraid",
            "saw",
            "wonder",
            "wondering",
            "want",
            "believe",
            "guess",
            "suppose",
            "took",
            "asked",
            "watched",
            "spotted",
        }
    ),
}
LINKING: Final[dict[str, frozenset[str]]] = {
    "en": frozenset(
        {"'m", "am", "'ve", "have", "was", "really", "just", "also", "so", "do", "did"}
    ),
}
TELLING: Final[dict[str, frozenset[str]]] = {
    "en": frozenset({"told", "tells", "tell", "asked", "asks", "showed", "shows"}),
}
THIRD_PERSON: Final[dict[str, frozenset[str]]] = {
    "en": frozenset({"he", "she", "his", "her", "him", "he's", "she's", "they", "their", "them"}),
}


#: Under this age the person is a child now, so whatever they have began in childhood (the
#: KB's onset_in_childhood asks "before 18").
CHILD_UNDER = 18


def childhood_onset(said: tuple[int, int, int] | None, whose: str) -> list[Mention]:
    """onset_in_childhood for a person who is a child now (``said``: an age and its span, of
    the writer or of the relative a carer writes about)."""
    if said is None or said[0] >= CHILD_UNDER:
        return []
    age, start, end = said
    why = f"{whose} is {age}: a child now, so it began in childhood"
    return [Mention("onset_in_childhood", "present", start, end, why, "age")]
