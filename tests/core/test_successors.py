"""The 2025 reform: a new province covers the old provinces that became part of it (records keep old units)."""

import csv
import gzip

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from vietnam_provinces import Province

from apps.catalog.services import point_of_sale_product_link
from apps.core.policy import scope, user_covers_unit
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.geo.services import (
    SUCCESSORS_CSV,
    THREE_TIER_CSV,
    units_import_three_tier,
    units_import_two_tier,
    units_link_successors,
)
from apps.producers.models import Producer
from tests.factories.catalog import certified_product, make_point_of_sale
from tests.factories.producers import ProducerFactory

pytestmark = pytest.mark.django_db


def test_successor_table_maps_the_63_old_provinces_onto_the_34_new_ones():
    with open(SUCCESSORS_CSV, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with gzip.open(THREE_TIER_CSV, "rt", encoding="utf-8") as f:
        old_names = {r["province_code"]: r["province_name"] for r in csv.DictReader(f)}
    new_names = {f"{int(p.code):02d}": p.name for p in Province.iter_all()}

    assert {r["province_code_2024"]: r["province_name_2024"] for r in rows} == old_names
    assert len(rows) == 63
    assert {r["province_code_2025"] for r in rows} == set(new_names)  # every new province has a predecessor
    assert all(new_names[r["province_code_2025"]] == r["province_name_2025"] for r in rows)
    merged = {r["province_name_2024"]: r["province_name_2025"] for r in rows}
    assert merged["Tỉnh Yên Bái"] == merged["Tỉnh Lào Cai"] == "Lào Cai"
    assert merged["Tỉnh Kon Tum"] == "Quảng Ngãi"
    assert merged["Tỉnh Bình Dương"] == merged["Tỉnh Bà Rịa - Vũng Tàu"] == "Thành phố Hồ Chí Minh"
    assert merged["Tỉnh Quảng Ninh"] == "Quảng Ninh"  # unchanged provinces succeed themselves


def test_import_links_old_provinces_to_their_successors_and_is_idempotent():
    units_import_three_tier(province_codes={"10", "15", "51", "62"})
    units_import_two_tier(province_codes={"15", "51"})
    old = {
        u.code: u
        for u in AdministrativeUnit.objects.filter(
            edition=Edition.THREE_TIER_2024, level=Level.PROVINCE
        ).select_related("successor")
    }
    assert {code: (u.successor.edition, u.successor.code) for code, u in old.items()} == {
        "10": ("2025", "15"),
        "15": ("2025", "15"),
        "51": ("2025", "51"),
        "62": ("2025", "51"),
    }
    assert units_link_successors() == 4


def test_new_province_covers_its_predecessors_and_nothing_else(reform):
    assert user_covers_unit(reform.quang_ngai, reform.dak_koi)
    assert not user_covers_unit(reform.quang_ngai, reform.ha_khanh)
    assert user_covers_unit(reform.quang_ninh, reform.ha_khanh)
    assert not user_covers_unit(reform.quang_ninh, reform.dak_koi)
    # Only provinces inherit: a new commune has no mapping to old communes, and the old province keeps its own.
    assert not user_covers_unit(reform.new_commune, reform.dak_koi)
    assert not user_covers_unit(reform.old_kon_tum, reform.new_quang_ngai)
    assert user_covers_unit(reform.old_kon_tum, reform.dak_koi)


def test_scope_lists_the_predecessors_records(reform):
    old = ProducerFactory(commune=reform.dak_koi, name="HTX Đắk Kôi")
    ProducerFactory(commune=reform.ha_khanh, name="HTX Hà Khánh")
    qs = Producer.objects.order_by("name")
    assert [p.name for p in scope(qs, reform.quang_ngai, unit_field="commune")] == [old.name]
    assert [p.name for p in scope(qs, reform.quang_ninh, unit_field="commune")] == ["HTX Hà Khánh"]
    assert list(scope(qs, reform.new_commune, unit_field="commune")) == []


def test_new_province_officer_opens_an_old_province_producer_and_others_are_refused(client, reform):
    old = ProducerFactory(commune=reform.dak_koi, name="HTX Đắk Kôi")
    url = reverse("producers:producer_detail", args=[old.pk])
    client.force_login(reform.quang_ngai)
    response = client.get(url)
    assert response.status_code == 200
    assert "HTX Đắk Kôi" in response.content.decode()
    assert [p.name for p in client.get(reverse("producers:producer_list")).context["page"]] == ["HTX Đắk Kôi"]
    client.force_login(reform.quang_ninh)
    assert client.get(url).status_code == 403


def test_new_province_point_of_sale_carries_products_certified_in_its_old_provinces(reform):
    old_product = certified_product(commune=reform.dak_koi, name="Sâm dây Ngọc Linh")
    elsewhere = certified_product(commune=reform.ha_khanh, name="Chả mực Hạ Long")
    showroom = make_point_of_sale(unit=reform.new_quang_ngai, products=[], name="Điểm OCOP Quảng Ngãi")
    point_of_sale_product_link(point_of_sale=showroom, product=old_product, by=reform.quang_ngai)
    with pytest.raises(ValidationError):
        point_of_sale_product_link(point_of_sale=showroom, product=elsewhere, by=reform.quang_ngai)
    assert [p.name for p in showroom.products.all()] == ["Sâm dây Ngọc Linh"]


def test_catalogue_names_the_2025_province_and_the_old_place(client, reform, django_assert_max_num_queries):
    sam = certified_product(commune=reform.dak_koi, name="Sâm dây Ngọc Linh")
    certified_product(commune=reform.ha_khanh, name="Chả mực Hạ Long")
    with django_assert_max_num_queries(10):
        cards = client.get("/san-pham/").content.decode()
    # No commune-level link in this fixture: the 2025 province, then the old place.
    assert 'Quảng Ngãi <span class="former-place">(trước đây: Xã Đắk Kôi, tỉnh Kon Tum)</span>' in cards
    assert 'Quảng Ninh <span class="former-place">(trước đây: Phường Hà Khánh, tỉnh Quảng Ninh)</span>' in cards
    page = client.get(f"/san-pham/{sam.slug}/").content.decode()
    assert 'Quảng Ngãi <span class="former-place">(trước đây: Xã Đắk Kôi, tỉnh Kon Tum)</span>' in page
