"""Data labels in the reader's language: product groups and sets, opening hours, administrative unit names.

These labels are rows, written in Vietnamese (the programme's official names). On an English page each is looked
up in the catalogue as a message of its own (``locale/en/LC_MESSAGES/ux.po`` translates them); a label without a
translation, or any label on a Vietnamese page, shows as stored. Registered as a template builtin (settings).
"""

import re

from django import template
from django.utils.translation import get_language, gettext, pgettext

register = template.Library()

# Parts of an opening-hours text that are words, not times ("8:00–21:00 hằng ngày").
OPENING_HOURS_WORDS = (
    "thứ Hai đến thứ Sáu",
    "thứ Hai đến thứ Bảy",
    "thứ Hai đến Chủ nhật",
    "hằng ngày",
    "hàng ngày",
    "nghỉ trưa",
    "Chủ nhật",
    "thứ Bảy",
)
# Division types in front of a unit's name, and where English puts them ("Tỉnh Quảng Ninh" → "Quảng Ninh Province").
DIVISION_TYPES = (
    ("Thành phố ", "city"),
    ("Tỉnh ", "province"),
    ("Huyện ", "district"),
    ("Quận ", "urban district"),
    ("Thị xã ", "town"),
    ("Thị trấn ", "township"),
    ("Phường ", "ward"),
    ("Xã ", "commune"),
    ("Đặc khu ", "special zone"),
)


def _vietnamese():
    return (get_language() or "vi").startswith("vi")


@register.filter
def data_label(value):
    """A stored Vietnamese label (a group or set name) in the page's language."""
    if not value or _vietnamese():
        return value
    return gettext(str(value))


@register.filter
def opening_hours(value):
    """Opening hours typed in Vietnamese, with their words in the page's language and the times untouched."""
    if not value or _vietnamese():
        return value
    text = str(value)
    whole = gettext(text)
    if whole != text:
        return whole
    for words in OPENING_HOURS_WORDS:
        text = re.sub(re.escape(words), pgettext("opening hours", words), text, flags=re.IGNORECASE)
    return text


@register.filter
def unit_name(value):
    """ "Tỉnh Quảng Ninh" → "Quảng Ninh Province" on an English page (the name itself is never translated)."""
    if not value or _vietnamese():
        return value
    text = str(value)
    for prefix, kind in DIVISION_TYPES:
        if text.startswith(prefix):
            return f"{text[len(prefix) :]} {pgettext('division type', kind).capitalize()}"
    return text
