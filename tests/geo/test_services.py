import io

import pytest
from django.core.management import call_command

from apps.geo.enums import DivisionType, Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.geo.services import division_type_from_name, units_import_three_tier, units_import_two_tier

pytestmark = pytest.mark.django_db


def _snapshot(edition):
    return list(
        AdministrativeUnit.objects.filter(edition=edition)
        .order_by("pk")
        .values_list("pk", "level", "code", "name", "parent_id", "path", "division_type")
    )


def test_two_tier_import_loads_34_provinces_3321_communes_and_is_idempotent():
    result = units_import_two_tier()
    assert (result.provinces, result.districts, result.communes) == (34, 0, 3321)
    before = _snapshot(Edition.TWO_TIER_2025)
    again = units_import_two_tier()
    assert (again.provinces, again.districts, again.communes) == (34, 0, 3321)
    assert _snapshot(Edition.TWO_TIER_2025) == before
    hoan_kiem = AdministrativeUnit.objects.get(edition=Edition.TWO_TIER_2025, level=Level.COMMUNE, code="00070")
    assert hoan_kiem.name == "Phường Hoàn Kiếm"
    assert hoan_kiem.parent.code == "01"
    assert hoan_kiem.path == "2025/01/00070/"


def test_three_tier_import_loads_63_696_10051_with_districts_and_is_idempotent():
    result = units_import_three_tier()
    assert (result.provinces, result.districts, result.communes) == (63, 696, 10051)
    before = _snapshot(Edition.THREE_TIER_2024)
    call_command("import_units", edition="2024", provinces=None, stdout=io.StringIO())
    assert _snapshot(Edition.THREE_TIER_2024) == before
    commune = AdministrativeUnit.objects.select_related("parent__parent").get(
        edition=Edition.THREE_TIER_2024, level=Level.COMMUNE, code="23482"
    )
    assert (commune.name, commune.parent.name, commune.parent.parent.name) == (
        "Xã Đắk Kôi",
        "Huyện Kon Rẫy",
        "Tỉnh Kon Tum",
    )
    assert commune.division_type == DivisionType.XA
    con_dao = AdministrativeUnit.objects.get(edition=Edition.THREE_TIER_2024, level=Level.DISTRICT, code="755")
    assert con_dao.children.count() == 0
    assert str(commune.valid_until) == "2025-06-30"


def test_old_code_15_and_new_code_15_are_two_different_units():
    units_import_three_tier(province_codes={"15"})
    units_import_two_tier(province_codes={"15"})
    old = AdministrativeUnit.objects.get(edition=Edition.THREE_TIER_2024, level=Level.PROVINCE, code="15")
    new = AdministrativeUnit.objects.get(edition=Edition.TWO_TIER_2025, level=Level.PROVINCE, code="15")
    assert old.pk != new.pk
    assert old.name == "Tỉnh Yên Bái"
    assert new.name == "Lào Cai"
    assert not old.covers(new) and not new.covers(old)
    old_commune = AdministrativeUnit.objects.filter(parent__parent=old).first()
    assert old.covers(old_commune) and not new.covers(old_commune)


def test_old_and_new_commune_00070_differ():
    units_import_three_tier(province_codes={"01"})
    units_import_two_tier(province_codes={"01"})
    names = dict(AdministrativeUnit.objects.filter(level=Level.COMMUNE, code="00070").values_list("edition", "name"))
    assert names == {"2024": "Phường Hàng Trống", "2025": "Phường Hoàn Kiếm"}


def test_province_filter_limits_the_import():
    result = units_import_three_tier(province_codes={"62"})
    assert (result.provinces, result.districts) == (1, 10)
    assert (
        AdministrativeUnit.objects.filter(edition=Edition.THREE_TIER_2024).exclude(path__startswith="2024/62/").count()
        == 0
    )


@pytest.mark.parametrize(
    ("name", "level", "expected"),
    [
        ("Thành phố Hà Nội", Level.PROVINCE, DivisionType.THANH_PHO_TW),
        ("Thành phố Hạ Long", Level.DISTRICT, DivisionType.THANH_PHO),
        ("Thành Phố Bắc Kạn", Level.DISTRICT, DivisionType.THANH_PHO),
        ("Thị xã Quảng Yên", Level.DISTRICT, DivisionType.THI_XA),
        ("Thị trấn Đắk Rve", Level.COMMUNE, DivisionType.THI_TRAN),
        ("Tỉnh Kon Tum", Level.PROVINCE, DivisionType.TINH),
    ],
)
def test_division_type_from_name(name, level, expected):
    assert division_type_from_name(name, level) == expected


def test_division_type_from_unknown_name_is_refused():
    with pytest.raises(ValueError):
        division_type_from_name("Khu phố 3", Level.COMMUNE)
