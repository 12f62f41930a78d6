"""Free text in a person's own words, read into KB findings (issue 17).

The layer sits on the KB (its lay phrases and hints) and the domain; the facade uses it.
spaCy and negspaCy are loaded on the first parse, never at import.
"""

from __future__ import annotations

from twitchcheck.text.lexicon import Lexicon, build_lexicon
from twitchcheck.text.parser import MAX_TEXT_CHARS, TextParser

__all__ = ["MAX_TEXT_CHARS", "Lexicon", "TextParser", "build_lexicon"]
