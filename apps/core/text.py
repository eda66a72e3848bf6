"""Text helpers for Vietnamese: search that ignores diacritics and case ("cha muc" finds "Chả mực")."""

import unicodedata


def fold(text):
    """Lower-case ``text`` and strip Vietnamese diacritics (đ → d), collapsing white space."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def ascii_int(value):
    """``value`` as an int when it is plain ASCII digits, else None.

    ``str.isdigit`` is true for "²" and "١", which ``int`` then refuses or reads as another number: user input
    (query strings, posted ids) goes through here instead.
    """
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None
