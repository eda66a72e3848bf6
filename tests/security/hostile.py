"""Hostile inputs shared by the property tests (test_properties.py, test_service_properties.py), and the checks
on what a form or a service answers to them."""

import unicodedata

from django import forms
from hypothesis import strategies as st

from apps.core.text import BIDI_CONTROLS

_INVISIBLE = ("Mn", "Me", "Cf", "Zs", "Zl", "Zp", "Cc")
ODD = [
    "Che\u0300 Ha\u0323 Long",  # NFD: "Chè Hạ Long" typed with combining marks
    "\u200b\u200b\u200b",  # zero-width spaces only
    "\u0301\u0323\u0300",  # combining marks only
    "\u202ecod.exe",  # right-to-left override
    "HTX \u2066Chè\u2069",  # isolates
    "a\x00b",
    "Chè\r\nHạ Long",
    "\x1b[31mđỏ",
    "\ufeffBOM",
    "ＨＴＸ　Ｃｈè",  # full-width letters and an ideographic space
    "\U0001f375 Trà",
    "x" * 5001,
    "ệ" * 300,
]
hostile_text = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=60),
    st.text(st.characters(categories=["Cc", "Cf", "Mn", "Zs", "Zl", "Zp"]), min_size=1, max_size=8),
    st.builds(
        lambda a, b, c: a + b + c, st.text(max_size=10), st.sampled_from(sorted(BIDI_CONTROLS)), st.text(max_size=10)
    ),
)
DIGITS = "0123456789" + "٠١٢٣٤٥٦٧٨٩" + "０１２３４５６７８９" + "¹²³⁴" + "۰۱۲۳"
hostile_number = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["²", "１２", "١٢", "NaN", "nan", "inf", "-inf", "1e309", "-0", " 12 ", "12.5", "0x1F", "1_000", ""]
    ),
    st.text(st.sampled_from(DIGITS + "-+., e"), min_size=1, max_size=12),
)
hostile_date = st.one_of(
    st.sampled_from(
        ["0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "2026-13-01", "0000-00-00", "31/12/9999"]
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.text(st.sampled_from(DIGITS + "-/"), max_size=12),
)
hostile_tax_code = st.one_of(
    st.text(st.sampled_from(DIGITS + "-"), min_size=10, max_size=14),
    st.from_regex(r"\A[0-9]{10}(-[0-9]{3})?\Z"),
)


def is_vietnamese(message):
    # Every Vietnamese sentence we show carries diacritics; an English fallback ("Enter a valid date.") has none.
    return any(ord(ch) > 127 for ch in str(message))


def assert_clean(value, field):
    """What an accepted text is stored as: NFC, no bidi or control characters, something visible, within limits."""
    multiline = isinstance(field.widget, forms.Textarea)
    assert unicodedata.is_normalized("NFC", value), repr(value)
    assert not any(ch in BIDI_CONTROLS for ch in value), repr(value)
    assert not any(unicodedata.category(ch) == "Cc" and ch not in ("\n\t" if multiline else "") for ch in value)
    assert not value.strip() or not all(unicodedata.category(ch) in _INVISIBLE for ch in value), repr(value)
    assert field.max_length is None or len(value) <= field.max_length
