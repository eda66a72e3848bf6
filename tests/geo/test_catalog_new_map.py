"""The public side on the 2025 map: facets, statistics, API and search group old records under their successors."""

import pytest
from django.urls import reverse

from apps.catalog.models import CatalogEntry
from apps.catalog.services import catalog_rebuild
from apps.geo.enums import Edition
from apps.producers.services import producer_rehome
from tests.factories import commune, district, province
from tests.factories.catalog import certified_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(communes_2025):
    """Old Kon Tum and old Quảng Ngãi (both → new Quảng Ngãi) each with a product; one product registered since."""
    r = communes_2025
    old_quang_ngai = province("51", name="Tỉnh Quảng Ngãi")
    son_tinh = district(old_quang_ngai, "527", name="Huyện Sơn Tịnh")
    tinh_ha = commune(son_tinh, "21100", name="Xã Tịnh Hà")
    type(old_quang_ngai).objects.filter(pk=old_quang_ngai.pk).update(successor=r.quang_ngai)
    r.old_quang_ngai = type(old_quang_ngai).objects.get(pk=old_quang_ngai.pk)
    r.sam = certified_product(commune=r.dak_koi, producer=r.merged_producer, name="Sâm dây Ngọc Linh", stars=4)
    r.mat_ong = certified_product(commune=r.dak_pne, producer=r.split_producer, name="Mật ong rừng")
    r.toi = certified_product(commune=tinh_ha, name="Tỏi Lý Sơn")
    r.new = certified_product(commune=r.new_dak_koi, name="Cà phê Đăk Kôi")
    return r


def _facet(response, name):
    return {o.label: o.count for o in response.context["facets"][name]}


def test_a_2025_provinces_facet_counts_its_old_provinces_products(client, listed):
    r = listed
    response = client.get(reverse("catalog:product_list"))
    assert _facet(response, "province") == {"Quảng Ngãi": 4}
    # The entries keep their old units; only the grouping is on the new map.
    sam = CatalogEntry.objects.get(product=r.sam)
    assert (sam.province_id, sam.commune_id) == (r.kon_tum.pk, r.dak_koi.pk)
    assert (sam.current_province_id, sam.current_commune_id) == (r.quang_ngai.pk, r.new_dak_koi.pk)
    # A split commune's product has no 2025 commune until its producer is assigned.
    assert CatalogEntry.objects.get(product=r.mat_ong).current_commune_id is None


def test_within_a_2025_province_the_communes_are_the_new_ones(client, listed):
    r = listed
    response = client.get(reverse("catalog:product_list"), {"province": r.quang_ngai.pk})
    assert sorted(e.name for e in response.context["page_obj"]) == [
        "Cà phê Đăk Kôi",
        "Mật ong rừng",
        "Sâm dây Ngọc Linh",
        "Tỏi Lý Sơn",
    ]
    communes = _facet(response, "commune")
    assert communes["Xã Đăk Kôi"] == 2  # old Đắk Kôi's product and the one registered since
    assert "district" not in response.context["facets"]
    page = client.get(reverse("catalog:product_list"), {"commune": r.new_dak_koi.pk})
    assert sorted(e.name for e in page.context["page_obj"]) == ["Cà phê Đăk Kôi", "Sâm dây Ngọc Linh"]


def test_the_old_list_remains_as_a_filter(client, listed):
    r = listed
    response = client.get(reverse("catalog:product_list"), {"edition": "2024"})
    assert _facet(response, "province") == {"Tỉnh Kon Tum": 2, "Tỉnh Quảng Ngãi": 1, "Quảng Ngãi": 1}
    response = client.get(reverse("catalog:product_list"), {"edition": "2024", "province": r.kon_tum.pk})
    assert sorted(e.name for e in response.context["page_obj"]) == ["Mật ong rừng", "Sâm dây Ngọc Linh"]
    assert _facet(response, "district") == {"Huyện Kon Rẫy": 2}
    assert _facet(response, "commune") == {"Xã Đắk Kôi": 1, "Xã Đắk Pne": 1}


@pytest.mark.parametrize("query", ["dak koi", "Đắk Kôi", "quang ngai sam", "kon tum sam", "kon ray"])
def test_search_finds_an_old_product_by_its_old_or_new_place_name(client, listed, query):
    response = client.get(reverse("catalog:product_list"), {"q": query})
    assert "Sâm dây Ngọc Linh" in [e.name for e in response.context["page_obj"]]


def test_a_card_shows_the_2025_place_then_the_old_one(client, listed):
    body = client.get(reverse("catalog:product_list")).content.decode()
    assert (
        'Xã Đăk Kôi, Quảng Ngãi <span class="former-place">(trước đây: Xã Đắk Kôi, huyện Kon Rẫy, tỉnh Kon Tum)'
        "</span>" in body
    )
    assert 'Quảng Ngãi <span class="former-place">(trước đây: Xã Đắk Pne, huyện Kon Rẫy, tỉnh Kon Tum)</span>' in body
    assert "Xã Đăk Kôi, Quảng Ngãi</span>" in body  # registered since: nothing to add
    page = client.get(reverse("catalog:product_detail", args=[listed.sam.slug])).content.decode()
    assert "(trước đây: Xã Đắk Kôi, huyện Kon Rẫy, tỉnh Kon Tum)" in page


def test_statistics_and_the_api_speak_the_new_map(client, listed):
    r = listed
    stats = client.get("/api/v1/statistics/").json()
    assert stats["totals"]["provinces"] == 1
    assert stats["by_province"] == [{"id": r.quang_ngai.pk, "name": "Quảng Ngãi", "count": 4}]
    assert {p["name"]: p["count"] for p in stats["by_old_province"]} == {
        "Tỉnh Kon Tum": 2,
        "Tỉnh Quảng Ngãi": 1,
        "Quảng Ngãi": 1,
    }
    products = client.get("/api/v1/products/", {"province": r.quang_ngai.pk}).json()["results"]
    assert len(products) == 4
    sam = next(p for p in products if p["name"] == "Sâm dây Ngọc Linh")
    assert (sam["province"]["edition"], sam["current_province"]["name"]) == (Edition.THREE_TIER_2024, "Quảng Ngãi")
    assert sam["current_commune"] == {
        "id": r.new_dak_koi.pk,
        "edition": "2025",
        "code": "23485",
        "name": "Xã Đăk Kôi",
    }
    producers = client.get("/api/v1/producers/", {"province": r.quang_ngai.pk}).json()["results"]
    assert "HTX Sâm Đắk Kôi" in [p["name"] for p in producers]
    page = client.get(reverse("catalog:statistics")).content.decode()
    assert "Theo tỉnh trước ngày 01/07/2025" in page


def test_a_rebuild_and_a_move_keep_the_current_units(client, listed):
    r = listed
    catalog_rebuild()
    assert CatalogEntry.objects.get(product=r.sam).current_commune_id == r.new_dak_koi.pk

    producer_rehome(producer=r.split_producer, commune=r.kon_braih, by=r.province_officer)
    entry = CatalogEntry.objects.get(product=r.mat_ong)
    assert (entry.commune_id, entry.current_commune_id) == (r.kon_braih.pk, r.kon_braih.pk)


@pytest.mark.parametrize("params", [{}, {"edition": "2024"}, {"province": "QN"}])
def test_catalogue_query_count_stays_constant_on_the_new_map(client, listed, django_assert_max_num_queries, params):
    if params.get("province"):
        params = {"province": listed.quang_ngai.pk}
    with django_assert_max_num_queries(10):
        assert client.get(reverse("catalog:product_list"), params).status_code == 200
    for i in range(15):
        certified_product(commune=listed.dak_koi, name=f"Sâm số {i}")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("catalog:product_list"), params).status_code == 200


@pytest.mark.parametrize("query", ["dak koi ca phe", "kon tum ca phe", "Đắk Kôi"])
def test_search_finds_a_product_registered_since_by_the_old_names_of_its_place(client, listed, query):
    for rebuilt in (False, True):
        if rebuilt:
            catalog_rebuild()
        response = client.get(reverse("catalog:product_list"), {"q": query})
        assert "Cà phê Đăk Kôi" in [e.name for e in response.context["page_obj"]]
    # Old Đắk Pne was split: its name does not lead to new Đăk Kôi's products.
    response = client.get(reverse("catalog:product_list"), {"q": "dak pne ca phe"})
    assert response.context["page_obj"].paginator.count == 0
