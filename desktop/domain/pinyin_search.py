"""Pinyin initials of Chinese names, so that a clerk can type "zyty" to find 张掖…托育….

Pure (pypinyin is a dictionary lookup). Letters and digits in the name are kept, lower-cased;
punctuation and spaces are dropped.
"""

from __future__ import annotations


def name_initials(name: str) -> str:
    """ "张掖市阳光托育中心" -> "zysygtyzx"; "ABC托育" -> "abcty"."""
    # Imported here: pypinyin parses a 100,000-phrase dictionary on import (~0.2 s), which only
    # writing a name needs, never the start-up or a search.
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(ch for part in letters for ch in part.lower() if ch.isascii() and ch.isalnum())


def is_initials_query(text: str) -> bool:
    """True when the user typed only Latin letters, which we then also match as pinyin initials."""
    return bool(text) and text.isascii() and text.isalpha()
