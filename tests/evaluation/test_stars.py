"""The star bands of domain §6 and the cap of a missing mandatory criterion (pure functions)."""

from decimal import Decimal

import pytest

from apps.evaluation.stars import awarded_stars, star_band


@pytest.mark.parametrize(
    ("total", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_star_band_at_every_boundary(total, stars):
    assert star_band(Decimal(total)) == stars


def test_awarded_stars_missing_mandatory_for_3_caps_at_2():
    assert awarded_stars(Decimal("85"), [3]) == 2


def test_awarded_stars_missing_mandatory_for_4_caps_at_3():
    assert awarded_stars(Decimal("85"), [4]) == 3


def test_awarded_stars_missing_mandatory_above_band_changes_nothing():
    assert awarded_stars(Decimal("60"), [5]) == 3


def test_awarded_stars_all_met_is_the_band():
    assert awarded_stars(Decimal("92.5"), []) == 5
