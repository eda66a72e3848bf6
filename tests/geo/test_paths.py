"""The one rule for "the units above a unit": path prefixes, the province path, ancestors."""

import pytest

from apps.geo.enums import Edition
from apps.geo.models import AdministrativeUnit
from tests.factories import commune, district, province


@pytest.mark.parametrize(
    ("path", "prefixes"),
    [
        ("2024/22/", ["2024/22/"]),
        ("2024/22/193/", ["2024/22/", "2024/22/193/"]),
        ("2024/22/193/06656/", ["2024/22/", "2024/22/193/", "2024/22/193/06656/"]),
        ("2025/22/", ["2025/22/"]),
        ("2025/22/06656/", ["2025/22/", "2025/22/06656/"]),
    ],
    ids=["province", "district", "2024-commune", "2025-province", "2025-commune"],
)
def test_path_prefixes_run_from_the_province_down_to_the_unit_itself(path, prefixes):
    unit = AdministrativeUnit(path=path)
    assert unit.path_prefixes == prefixes
    assert AdministrativeUnit.prefixes_of(path) == prefixes
    assert unit.province_path == prefixes[0]
    assert unit.province_code == "22"


@pytest.mark.django_db
def test_ancestors_are_the_units_of_the_prefixes_above_the_unit():
    quang_ninh = province("22", name="Tỉnh Quảng Ninh")
    ha_long = district(quang_ninh, "193", name="Thành phố Hạ Long")
    hong_gai = commune(ha_long, "06656", name="Phường Hồng Gai")
    # The 2025 list reuses the codes: the same digits in the other edition are other units.
    new_quang_ninh = province("22", edition=Edition.TWO_TIER_2025, name="Quảng Ninh")
    new_hong_gai = commune(new_quang_ninh, "06656", name="Phường Hồng Gai")

    assert list(hong_gai.ancestors()) == [quang_ninh, ha_long]
    assert list(ha_long.ancestors()) == [quang_ninh]
    assert list(quang_ninh.ancestors()) == []
    assert list(new_hong_gai.ancestors()) == [new_quang_ninh]
    assert new_hong_gai.province_path == new_quang_ninh.path
    assert [u.path for u in hong_gai.ancestors()] + [hong_gai.path] == hong_gai.path_prefixes
