"""Truth table of who sees an administrative unit."""

import pytest

from tests.cast import build_cast, table

pytestmark = pytest.mark.django_db


def test_view_administrativeunit_truth_table(tree):
    cast = build_cast(tree)
    expected = {"x": table("...Y.Y...Y.YY"), "z": table("......Y...YYY")}
    for key, row in expected.items():
        unit = getattr(tree, key)
        got = {role: user.has_perm("geo.view_administrativeunit", unit) for role, user in cast.items()}
        assert got == row, key
