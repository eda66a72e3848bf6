"""The star bands of domain §6 and the cap of a missing mandatory criterion (pure functions)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from apps.catalog.filters import RECOGNISED_STARS as RECOGNISED_STAR_CHOICES
from apps.core.enums import LOWEST_RECOGNISED_STARS, RECOGNISED_STARS
from apps.core.stars import RECOGNITION_FLOOR, awarded_stars, reaches_recognition, star_band
from apps.evaluation.services.decisions import _refusal_reason


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


@pytest.mark.parametrize(("total", "recognised"), [("49.99", False), ("50", True), ("50.01", True)])
def test_recognition_threshold_is_the_floor_of_the_3_star_band(total, recognised):
    assert Decimal(50) == RECOGNITION_FLOOR
    assert reaches_recognition(Decimal(total)) is recognised


@pytest.mark.parametrize(("total", "below"), [("49.99", True), ("50", False), ("50.01", False)])
def test_refusal_reason_names_the_threshold_only_below_it(total, below):
    entry = SimpleNamespace(total=Decimal(total), missing_mandatory=[], stars=star_band(Decimal(total)))
    with translation.override("vi"):
        reason = _refusal_reason(entry, allowed={4})
    assert ("dưới 50 điểm: chỉ công nhận sản phẩm từ 3 sao trở lên" in reason) is below


def test_recognised_stars_start_at_the_band_of_the_recognition_threshold():
    assert RECOGNISED_STARS == (3, 4, 5)
    assert star_band(RECOGNITION_FLOOR) == LOWEST_RECOGNISED_STARS == 3
    assert star_band(RECOGNITION_FLOOR - Decimal("0.01")) not in RECOGNISED_STARS
    assert [value for value, _label in RECOGNISED_STAR_CHOICES] == [3, 4, 5]
