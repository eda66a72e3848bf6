"""The figure tables' number cells, written in one call per row, read exactly as the per-cell template did."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from apps.reports.templatetags.reports_figures import figure_cells

PER_CELL = engines["django"].from_string(
    '{% for v in values %}<td class="num">{{ v|default_if_none:"–" }}</td>{% endfor %}'
)
VALUES = [0, 7, 999, 1000, 1234567, -4321, None, 12.5, 1234.25, 0.1, Decimal("98765.4"), Decimal("3"), True, "<b>x</b>"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_figure_cells_write_what_the_per_cell_template_wrote(language):
    with translation.override(language):
        assert figure_cells(VALUES) == PER_CELL.render({"values": VALUES})


def test_figure_cells_in_vietnamese_use_the_decimal_comma():
    """As ``{{ value }}`` does: the decimal comma; no thousands grouping while ``USE_THOUSAND_SEPARATOR`` is off."""
    with translation.override("vi"):
        assert figure_cells([1234567, 1234.5, None]) == (
            '<td class="num">1234567</td><td class="num">1234,5</td><td class="num">–</td>'
        )
