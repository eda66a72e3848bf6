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
