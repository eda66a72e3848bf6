"""The figure tables' number cells, written in one call per row, read exactly as a per-cell template would, grouped
in thousands so that an official reads 1.234.567 at a glance."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from apps.reports.templatetags.reports_figures import figure_cells

PER_CELL = engines["django"].from_string(
    '{% load humanize %}{% for v in values %}<td class="num">{% if v is None %}–{% else %}{{ v|intcomma }}{% endif %}'
    "</td>{% endfor %}"
)
VALUES = [0, 7, 999, 1000, 1234567, -4321, None, 12.5, 1234.25, 0.1, Decimal("98765.4"), Decimal("3"), "<b>x</b>"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_figure_cells_write_what_the_per_cell_template_wrote(language):
    with translation.override(language):
        assert figure_cells(VALUES) == PER_CELL.render({"values": VALUES})


def test_figure_cells_in_vietnamese_use_the_decimal_comma():
    """The decimal comma and the thousands dot, although ``USE_THOUSAND_SEPARATOR`` is off for the rest of the site."""
    with translation.override("vi"):
        assert figure_cells([1234567, 1234.5, None, 999]) == (
            '<td class="num">1.234.567</td><td class="num">1.234,5</td><td class="num">–</td><td class="num">999</td>'
        )
    with translation.override("en"):
        assert figure_cells([1234567, 1234.5]) == '<td class="num">1,234,567</td><td class="num">1,234.5</td>'
