"""Text helpers for Vietnamese: search that ignores diacritics and case ("cha muc" finds "Chả mực"), and unique
slugs from Vietnamese names."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


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


def unique_slug(model, text, *, exclude_pk=None, max_length=200):
    """A slug from the folded Vietnamese ``text`` ("Chả mực Hạ Long" → "cha-muc-ha-long"), made unique."""
    base = slugify(fold(text))[:max_length].strip("-") or "muc"
    taken = set(model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_with_unique_slug(obj, *, text, max_length=200, attempts=5):
    """Give ``obj`` a unique slug from ``text`` and insert it, retrying when a concurrent insert took the slug.

    :func:`unique_slug` cannot see a row another transaction has not committed yet: two identical submissions at
    the same moment pick the same slug and the second insert hits the unique index. The insert runs in a
    savepoint, so after such a clash the slug is chosen again (the other row is committed by then) and the
    insert retried; any other integrity error is raised as it is.
    """
    model = type(obj)
    for attempt in range(attempts):
        obj.slug = unique_slug(model, text, max_length=max_length)
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
        except IntegrityError:
            if attempt == attempts - 1 or not model.objects.filter(slug=obj.slug).exists():
                raise
            obj.pk = None
            obj._state.adding = True
        else:
            return obj
    raise AssertionError("unreachable")
