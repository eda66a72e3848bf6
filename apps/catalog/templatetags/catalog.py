"""Template helpers of the public catalogue."""

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

register = template.Library()


@lru_cache(maxsize=32)
def _stars_html(stars, language):
    label = ngettext("%(stars)s star", "%(stars)s stars", stars) % {"stars": stars}
    off = mark_safe('<span class="star-off">☆</span>' * (5 - stars))  # noqa: S308 - constant markup
    return format_html(
        '<span class="stars stars-{}" role="img" aria-label="{}"><span aria-hidden="true">{}{}</span></span>',
        stars,
        label,
        "★" * stars,
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
