"""Star bands (domain §6) as pure functions: no database, no settings.

A programme rule shared by the applicant's self-assessment and the councils' sheets and decisions, so it lives on the
ground floor beside ``LOWEST_RECOGNISED_STARS``.
"""

from decimal import Decimal

from apps.core.enums import LOWEST_RECOGNISED_STARS

MAX_STARS = 5
FILLED_STAR, EMPTY_STAR = "\u2605", "\u2606"  # ★ ☆ (DejaVu Sans and Noto Sans have both)
BANDS = ((Decimal(90), 5), (Decimal(70), 4), (Decimal(50), 3), (Decimal(30), 2))
# Only 3★ and above are recognised and certified; the floor of that band is the recognition threshold (50 points).
RECOGNITION_FLOOR = next(floor for floor, stars in BANDS if stars == LOWEST_RECOGNISED_STARS)


def star_band(total):
    """The band reached by a council total T: T<30→1, 30≤T<50→2, 50≤T<70→3, 70≤T<90→4, T≥90→5 (candidate)."""
    total = Decimal(str(total))
    for floor, stars in BANDS:
        if total >= floor:
            return stars
    return 1


def reaches_recognition(total):
    """Whether a council total reaches the lowest recognised band (T ≥ 50)."""
    return star_band(total) >= LOWEST_RECOGNISED_STARS


def awarded_stars(total, missing_mandatory_levels=()):
    """The highest band reached whose mandatory criteria are all met.

    A criterion mandatory for level L that is missed caps the result at L − 1, whatever the total.
    """
    stars = star_band(total)
    for level in missing_mandatory_levels:
        if level is not None and stars >= level:
            stars = level - 1
    return max(stars, 1)


def star_glyphs(stars):
    """(filled, empty) glyphs of a ``stars``-star rank out of five: ("★★★★", "☆") for 4."""
    return FILLED_STAR * stars, EMPTY_STAR * (MAX_STARS - stars)
