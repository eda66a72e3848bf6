"""Truth tables of trade promotion (points of sale, fairs), and the staff lists against them."""

import pytest

from apps.catalog.selectors import points_of_sale_visible_to
from tests.cast import build_world, mismatches, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    return build_world(tree)


def test_view_pointofsale_truth_table_and_selector_agree(world):
    # Province staff and the levels that look on (commune, district, central) — only in their subtree; never the
    # council or producers. No commune or district lies above a province's point of sale.
    expected = {"point_of_sale_p": table(".........Y.YY"), "point_of_sale_q": table("..........YYY")}
    assert mismatches(world, "catalog.view_pointofsale", expected, points_of_sale_visible_to) == []


def test_change_pointofsale_truth_table(world):
    expected = {"point_of_sale_p": table(".........Y..Y"), "point_of_sale_q": table("..........Y.Y")}
    assert mismatches(world, "catalog.change_pointofsale", expected) == []


def test_trade_promotion_screens_truth_table(world):
    assert mismatches(world, "catalog.view_trade_promotion", {None: table("...YYYY..YYYY")}) == []
    assert mismatches(world, "catalog.add_pointofsale", {None: table(".........YY.Y")}) == []
