"""How a value is written into one CSV cell and read back, so that any text survives.

Lists (locations, medicines, assessment findings, check-in answers) are joined with ``;``; a
``;`` or ``\\`` inside an item is escaped with a backslash (``Ibuprofen\\; 400 mg``). Files
written before issue 18 joined lists without escaping: they read the same, since a backslash
before any other character is kept as it is (``C:\\pills`` stays one item).

Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return. On export such a cell, and one that starts
with ``'`` itself, gets one ``'`` in front (spreadsheets then show it as text); on import
exactly one leading ``'`` is removed from every cell, so the text comes back as it was.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Starts that make a spreadsheet run a cell, and the quote itself (so the quote round-trips).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
SEPARATOR = ";"
ESCAPE = "\\"


def guard(cell: str) -> str:
    """The cell as written to a file: quoted when a spreadsheet would run it."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def unguard(cell: str) -> str:
    """The cell as read from a file: exactly one leading quote removed."""
    return cell[1:] if cell.startswith("'") else cell


def join_list(items: Iterable[str]) -> str:
    return SEPARATOR.join(
        item.replace(ESCAPE, ESCAPE * 2).replace(SEPARATOR, ESCAPE + SEPARATOR) for item in items
    )


def split_list(text: str) -> list[str]:
    """The items of a list cell (stripped; empty items dropped)."""
    items: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == ESCAPE:
            following = next(chars, "")
            if following in (SEPARATOR, ESCAPE):
                current.append(following)
            else:  # not an escape this format writes: a plain backslash (older files)
                current.append(char + following)
        elif char == SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]
