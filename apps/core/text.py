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


MAX_INT_DIGITS = 18  # every 18-digit number fits a PostgreSQL bigint


def ascii_int(value):
    """``value`` as an int when it is plain ASCII digits, else None.

    ``str.isdigit`` is true for "²" and "١", which ``int`` then refuses or reads as another number: user input
    (query strings, posted ids) goes through here instead.
    """
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= MAX_INT_DIGITS:
        return int(value)
    return None


# Bidirectional overrides and isolates: they make "exe.fdp" read as "pdf.exe" and reorder names on screen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Characters that draw nothing by themselves: marks, format characters (zero-width space, joiners) and spaces.
_INVISIBLE_CATEGORIES = ("Mn", "Me", "Cf", "Zs", "Zl", "Zp", "Cc")


def clean_text(value, *, multiline=False):
    """User text as stored: NFC-normalised (one code point for "ệ", however it was typed), without control or
    bidi-override characters, and with at least one visible character when not empty.

    Raises ``ValidationError`` with a message for the user; returns the cleaned text otherwise.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext_lazy as _

    if not value:
        return value
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    allowed = "\n\t" if multiline else ""
    if any(ch in BIDI_CONTROLS for ch in text):
        raise ValidationError(_("The text contains invisible direction-changing characters."), code="bidi")
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        raise ValidationError(_("The text contains control characters (such as line breaks)."), code="control")
    if text.strip() and all(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text):
        raise ValidationError(_("The text has no visible letters."), code="invisible")
    return text
