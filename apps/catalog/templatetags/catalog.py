"""Template helpers of the public catalogue."""

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from apps.core.stars import star_glyphs
from apps.core.templatetags.data_labels import unit_name
from apps.geo.enums import Edition

register = template.Library()


@lru_cache(maxsize=32)
def _stars_html(stars, language):
    label = ngettext("%(stars)s star", "%(stars)s stars", stars) % {"stars": stars}
    filled, empty = star_glyphs(stars)
    off = mark_safe("".join(f'<span class="star-off">{glyph}</span>' for glyph in empty))  # noqa: S308 - constant markup
    return format_html(
        '<span class="stars stars-{}" role="img" aria-label="{}"><span aria-hidden="true">{}{}</span></span>',
        stars,
        label,
        filled,
        off,
    )


@register.simple_tag
def stars(count):
    """Stars drawn as ★/☆ with a spoken label ("4 sao"); rendered once per star level and language."""
    return _stars_html(int(count), get_language())


@register.filter
def bar_percent(count, total):
    """``count`` as a whole percentage of ``total`` (0–100), for the CSS bar classes ``bar-0`` … ``bar-100``."""
    try:
        count, total = int(count), int(total)
    except (TypeError, ValueError):
        return 0
    if total <= 0:
        return 0
    return max(1 if count else 0, min(100, round(100 * count / total)))


def _lower_first(name):
    """ "Huyện Kon Rẫy" → "huyện Kon Rẫy": a division type inside a phrase is not capitalised."""
    return name[:1].lower() + name[1:] if name else name


def _inner_name(name):
    """A unit named inside a phrase: lower-case division type in Vietnamese, "… District" in English."""
    translated = unit_name(name)
    return translated if translated != name else _lower_first(name)


@register.simple_tag
def place(entry):
    """Where a listed product comes from, on the 2025 map.

    A product registered before the reform shows its 2025 commune and province, then its old place:
    "Xã Đăk Kôi, Quảng Ngãi (trước đây: Xã Đắk Kôi, huyện Kon Rẫy, tỉnh Kon Tum)". A commune split in 2025 has
    no 2025 commune until its producer is assigned: only the province is named before the old place.
    """
    commune, province, district = entry.commune, entry.province, entry.district
    current_province = getattr(entry, "current_province", None)
    old = commune.edition == Edition.THREE_TIER_2024
    if not old or current_province is None or current_province.edition != Edition.TWO_TIER_2025:
        return ", ".join(unit_name(u.name) for u in (commune, province))
    current_commune = getattr(entry, "current_commune", None)
    head = [
        unit_name(u.name)
        for u in (current_commune, current_province)
        if u is not None and u.edition == Edition.TWO_TIER_2025
    ]
    former = ", ".join([unit_name(commune.name), *(_inner_name(u.name) for u in (district, province) if u is not None)])
    return format_html(
        '{} <span class="former-place">({})</span>', ", ".join(head), _("formerly: %(place)s") % {"place": former}
    )
