"""Template tags of the figure tables: a row's number cells written in one call.

A province's or the country's tables hold a few thousand cells; rendered one ``{{ value }}`` at a time, each cell
looked up the active language and its three number formats again (most of a cache miss's template time).
"""

import decimal

from django import template
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.numberformat import format as format_number
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

MISSING = "–"


@register.simple_tag
def figure_cells(values):
    """``<td class="num">…</td>`` for each value, written as ``{{ value|intcomma|default_if_none:"–" }}`` would
    write it: numbers localised and grouped in thousands (12.345 in Vietnamese, 12,345 in English) whatever
    ``USE_THOUSAND_SEPARATOR`` says, the formats read once for the row."""
    language = get_language()
    decimal_separator = get_format("DECIMAL_SEPARATOR", language)
    grouping = get_format("NUMBER_GROUPING", language)
    thousand_separator = get_format("THOUSAND_SEPARATOR", language)
    cells = []
    for value in values:
        if value is None:
            text = MISSING
        elif isinstance(value, bool):
            text = conditional_escape(str(value))
        elif isinstance(value, decimal.Decimal | float | int):
            text = format_number(
                value, decimal_separator, None, grouping, thousand_separator, force_grouping=True, use_l10n=True
            )
        else:
            text = conditional_escape(value)
        cells.append(f'<td class="num">{text}</td>')
    return mark_safe("".join(cells))  # noqa: S308 — numbers and escaped text only
