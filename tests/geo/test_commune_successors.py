"""The 2025 commune successors: the shipped data file, and its import into ``AdministrativeUnit.successor``."""

import csv
import gzip
import importlib
import io
from collections import defaultdict
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import F
from vietnam_provinces import Ward

from apps.geo import reform_data
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit, SuccessorCandidate
from apps.geo.services import (
    THREE_TIER_CSV,
    units_import_three_tier,
    units_import_two_tier,
    units_link_commune_successors,
)


def _rows_by_old():
    by_old = defaultdict(list)
    for row in reform_data.read_successors():
        by_old[row["old_commune_code"]].append(row)
    return by_old


def _province_successors():
    with open(reform_data.PROVINCE_SUCCESSORS_CSV, encoding="utf-8") as f:
        return {r["province_code_2024"]: r["province_code_2025"] for r in csv.DictReader(f)}


# --- the data file -------------------------------------------------------------------------------------------------


def test_the_file_covers_every_one_of_the_10051_old_communes_of_our_2024_list():
    with gzip.open(THREE_TIER_CSV, "rt", encoding="utf-8") as fh:
        ours = {r["commune_code"]: r for r in csv.DictReader(fh)}
    by_old = _rows_by_old()
    assert len(ours) == 10051
    assert set(by_old) == set(ours)
    for code, rows in by_old.items():
        assert {r["old_commune_name"] for r in rows} == {ours[code]["commune_name"]}
        assert {r["old_province_code"] for r in rows} == {ours[code]["province_code"]}


def test_every_target_is_a_commune_of_the_2025_list_in_the_old_provinces_successor():

    listed = {f"{int(w.code):05d}": (w.name, f"{int(w.province_code):02d}") for w in Ward.iter_all()}
    provinces = _province_successors()
    for row in reform_data.read_successors():
        assert listed[row["new_commune_code"]] == (row["new_commune_name"], row["new_province_code"]), row
        assert provinces[row["old_province_code"]] == row["new_province_code"], row


def test_a_split_commune_keeps_every_candidate_and_exactly_one_default():
    by_old = _rows_by_old()
    split = {code: rows for code, rows in by_old.items() if len(rows) > 1}
    # The package marks 471 split communes; one commune it lacks (Xã Phù Mỹ, Đạ Huoai) follows two neighbours.
    assert len(split) == 472
    for code, rows in by_old.items():
        assert sum(r["is_default"] == "1" for r in rows) == 1, code
        assert len({r["new_commune_code"] for r in rows}) == len(rows), code
    hang_trong = {r["new_commune_name"]: r["is_default"] for r in by_old["00070"]}
    assert hang_trong == {"Phường Hoàn Kiếm": "1", "Phường Cửa Nam": "0"}


def test_the_shipped_report_names_what_did_not_match_both_lists():
    report = reform_data.REPORT_TXT.read_text(encoding="utf-8")
    assert report.startswith("10051 old communes mapped, 472 split")
    # Communes of our list merged into a neighbour before July 2025, matched by the package's aliases ...
    assert "matched by alias: ours 03751 Xã Chiềng Ly → package 03721 Thị trấn Thuận Châu" in report
    # ... and the package's provisional 2025 codes that the final list numbers differently.
    assert "2025 code differs: package 00082 Phường Cửa Nam is 00073 in the 2025 list" in report
    assert "NO PACKAGE COMMUNE 25186 Xã Phù Mỹ" in report


def test_refresh_from_the_package_reproduces_the_shipped_files(tmp_path):
    result = reform_data.build()
    reform_data.write(result, data_dir=tmp_path)
    for name in (
        reform_data.COMMUNE_SUCCESSORS_CSV.name,
        reform_data.COORDINATES_CSV.name,
        reform_data.REPORT_TXT.name,
    ):
        assert (tmp_path / name).read_bytes() == (reform_data.DATA_DIR / name).read_bytes(), name


# --- the import ----------------------------------------------------------------------------------------------------


def _snapshot():
    return (
        sorted(
            AdministrativeUnit.objects.filter(level=Level.COMMUNE, edition=Edition.THREE_TIER_2024).values_list(
                "pk", "successor_id", "split_on_reform"
            )
        ),
        sorted(SuccessorCandidate.objects.values_list("pk", "unit_id", "candidate_id", "is_default")),
    )


@pytest.fixture
def both_editions(db):
    units_import_three_tier()
    units_import_two_tier()


def _unit(edition, code, level=Level.COMMUNE):
    return AdministrativeUnit.objects.select_related("successor__parent").get(edition=edition, level=level, code=code)


def test_import_links_all_10051_old_communes_by_edition_and_code_and_is_idempotent(both_editions):
    old = AdministrativeUnit.objects.filter(edition=Edition.THREE_TIER_2024, level=Level.COMMUNE)
    assert old.count() == 10051
    assert old.filter(successor__isnull=True).count() == 0
    assert old.filter(successor__edition=Edition.TWO_TIER_2025, successor__level=Level.COMMUNE).count() == 10051
    assert old.filter(split_on_reform=True).count() == 472
    assert SuccessorCandidate.objects.filter(is_default=True).count() == 472
    # Every commune's successor lies in the 2025 province its old province became part of.
    assert old.exclude(successor__parent_id=F("parent__parent__successor_id")).count() == 0

    before = _snapshot()
    call_command("import_units", edition="all", provinces=None, stdout=io.StringIO())
    assert _snapshot() == before
    again = units_link_commune_successors()
    assert (again.linked, again.split, again.changed) == (10051, 472, 0)


def test_old_and_new_codes_are_never_mixed(both_editions):
    hang_trong = _unit(Edition.THREE_TIER_2024, "00070")
    assert hang_trong.name == "Phường Hàng Trống"
    assert (hang_trong.successor.edition, hang_trong.successor.code) == (Edition.TWO_TIER_2025, "00070")
    assert hang_trong.successor.name == "Phường Hoàn Kiếm"
    assert hang_trong.split_on_reform
    assert [(c.candidate.name, c.is_default) for c in hang_trong.candidates.select_related("candidate")] == [
        ("Phường Hoàn Kiếm", True),
        ("Phường Cửa Nam", False),
    ]
    # Old 06652 Hà Phong went to new Hà Tu — which carries the same code — not to "new 06652" by accident of code.
    ha_phong = _unit(Edition.THREE_TIER_2024, "06652")
    assert (ha_phong.successor.code, ha_phong.successor.name) == ("06652", "Phường Hà Tu")
    # Old 06649 Hà Khánh went to new 06658 Cao Xanh: the code of the old unit says nothing about the new one.
    ha_khanh = _unit(Edition.THREE_TIER_2024, "06649")
    assert (ha_khanh.successor.code, ha_khanh.successor.name, ha_khanh.split_on_reform) == (
        "06658",
        "Phường Cao Xanh",
        False,
    )
    dak_koi = _unit(Edition.THREE_TIER_2024, "23482")
    assert (dak_koi.successor.name, dak_koi.successor.parent.name) == ("Xã Đăk Kôi", "Quảng Ngãi")
    assert dak_koi.wholly_merged
    assert _unit(Edition.TWO_TIER_2025, "00070").successor_id is None


def test_the_link_only_ever_points_an_old_commune_at_a_new_one(both_editions):
    hoan_kiem = _unit(Edition.TWO_TIER_2025, "00070")
    other_new = _unit(Edition.TWO_TIER_2025, "00073")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.filter(pk=hoan_kiem.pk).update(successor=other_new)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.filter(pk=hoan_kiem.pk).update(split_on_reform=True)
    hang_trong = _unit(Edition.THREE_TIER_2024, "00070")
    with pytest.raises(IntegrityError), transaction.atomic():
        SuccessorCandidate.objects.filter(unit=hang_trong, is_default=False).update(is_default=True)


def test_the_data_migration_links_units_loaded_before_it(both_editions):
    """Units loaded before migration 0003 get their links from it (here: the same function on a cleared table)."""

    migration = importlib.import_module("apps.geo.migrations.0003_commune_successors")
    migration.unlink_communes(django_apps, None)
    SuccessorCandidate.objects.all().delete()
    AdministrativeUnit.objects.update(latitude=None, longitude=None)
    assert not AdministrativeUnit.objects.filter(level=Level.COMMUNE, successor__isnull=False).exists()
    migration.link_communes(django_apps, None)
    assert _unit(Edition.THREE_TIER_2024, "00070").successor.name == "Phường Hoàn Kiếm"
    assert AdministrativeUnit.objects.filter(level=Level.COMMUNE, successor__isnull=False).count() == 10051
    assert SuccessorCandidate.objects.count() == sum(len(r) for r in _rows_by_old().values() if len(r) > 1)
    assert _unit(Edition.TWO_TIER_2025, "00070").latitude is not None


def test_a_partial_import_links_what_is_loaded_and_a_later_one_completes_it(db):
    units_import_three_tier(province_codes={"62"})
    units_import_two_tier(province_codes={"22"})
    dak_koi = _unit(Edition.THREE_TIER_2024, "23482")
    assert dak_koi.successor is None  # new Quảng Ngãi is not loaded yet
    units_import_two_tier(province_codes={"51"})
    dak_koi = _unit(Edition.THREE_TIER_2024, "23482")
    assert dak_koi.successor.name == "Xã Đăk Kôi"


def test_the_refresh_command_reports_without_writing_when_asked(capsys):

    out = StringIO()
    before = reform_data.COMMUNE_SUCCESSORS_CSV.stat().st_mtime_ns
    call_command("refresh_reform_data", check=True, stdout=out)
    assert "10051 old communes mapped (472 split)" in out.getvalue()
    assert reform_data.COMMUNE_SUCCESSORS_CSV.stat().st_mtime_ns == before
