"""Server-rendered SVG maps (no tile service) and the GeoJSON of certified products on the 2025 map."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.geo import maps
from apps.geo.models import AdministrativeUnit
from tests.factories import commune, province
from tests.factories.catalog import certified_product

pytestmark = pytest.mark.django_db


def _place(unit, lat, lon):
    AdministrativeUnit.objects.filter(pk=unit.pk).update(latitude=lat, longitude=lon)
    unit.latitude, unit.longitude = lat, lon


@pytest.fixture
def mapped(communes_2025):
    r = communes_2025
    _place(r.quang_ngai, 15.12, 108.8)
    _place(r.new_dak_koi, 14.55, 108.1)
    _place(r.kon_braih, 14.70, 108.2)
    _place(r.dak_koi, 14.56, 108.09)
    _place(r.dak_pne, 14.60, 108.15)
    r.hanoi = province("01", edition="2025", name="Hà Nội")
    r.hoan_kiem = commune(r.hanoi, "00070", name="Phường Hoàn Kiếm")
    _place(r.hanoi, 21.03, 105.85)
    _place(r.hoan_kiem, 21.03, 105.85)
    r.sam = certified_product(commune=r.dak_koi, producer=r.merged_producer, name="Sâm dây Ngọc Linh")
    certified_product(commune=r.dak_pne, producer=r.split_producer, name="Mật ong rừng")
    certified_product(commune=r.hoan_kiem, name="Bánh cốm Hàng Than")
    return r


def _circles(svg):
    return re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)


def test_the_projection_puts_the_north_up_and_keeps_points_inside():
    p = maps.Projection(maps.VIETNAM_BOUNDS, 320)
    hanoi, ca_mau = p.xy(21.03, 105.85), p.xy(9.18, 105.15)
    assert hanoi[1] < ca_mau[1]  # north is up
    assert 0 <= p.xy(8.6, 114.3)[0] <= p.width  # Trường Sa is drawn at the edge, not off the map
    assert 500 < p.height < 900


def test_statistics_draw_certified_products_per_2025_province_on_an_svg_map(client, mapped):
    page = client.get(reverse("catalog:statistics")).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no tile service, nothing external
    assert "Quảng Ngãi: 2" in svg and "Hà Nội: 1" in svg  # old Kon Tum's products counted under new Quảng Ngãi
    assert len(_circles(svg)) == 2
    assert "," not in "".join(c for circle in _circles(svg) for c in circle)  # numbers stay numbers in Vietnamese
    assert f"?province={mapped.quang_ngai.pk}" in svg


def test_within_a_2025_province_the_map_shows_its_communes(client, mapped):
    r = mapped
    page = client.get(reverse("catalog:statistics"), {"tinh": r.quang_ngai.pk}).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "Xã Đăk Kôi: 1" in svg  # old Đắk Kôi, wholly merged
    assert "Xã Đắk Pne: 1" in svg  # split: drawn at its old commune until assigned
    assert f"?commune={r.new_dak_koi.pk}" in svg
    assert "Sản phẩm được chứng nhận theo xã: Quảng Ngãi" in page
    assert client.get(reverse("catalog:statistics"), {"tinh": "x"}).status_code == 200
    assert client.get(reverse("catalog:statistics"), {"tinh": r.kon_tum.pk}).status_code == 200  # old: country map


def test_a_product_page_has_a_small_locator(client, mapped):
    page = client.get(reverse("catalog:product_detail", args=[mapped.sam.slug])).content.decode()
    assert "Nơi sản xuất" in page
    svg = page[page.index('<section class="locator-box"') :]
    svg = svg[svg.index("<svg") : svg.index("</svg>")]
    assert len(_circles(svg)) == 1
    assert "<title>Xã Đăk Kôi</title>" in svg  # the 2025 commune's point


def test_the_api_gives_the_counts_as_geojson(client, mapped):
    r = mapped
    response = client.get("/api/v1/map/")
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    assert by_name["Quảng Ngãi"]["properties"]["certified_products"] == 2
    assert by_name["Quảng Ngãi"]["geometry"] == {"type": "Point", "coordinates": [108.8, 15.12]}
    communes = client.get("/api/v1/map/", {"province": r.quang_ngai.pk}).json()["features"]
    assert sorted((f["properties"]["name"], f["properties"]["certified_products"]) for f in communes) == [
        ("Xã Đăk Kôi", 1),
        ("Xã Đắk Pne", 1),
    ]
    assert client.get("/api/v1/map/", {"province": r.kon_tum.pk}).status_code == 400
    assert client.get("/api/v1/map/", {"province": "abc"}).status_code == 400
    unit = client.get(f"/api/v1/units/{r.dak_koi.pk}/").json()
    assert (unit["latitude"], unit["longitude"], unit["successor"]) == (14.56, 108.09, r.new_dak_koi.pk)


def test_the_statistics_map_costs_constant_queries(client, mapped, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("catalog:statistics"))
    for i in range(10):
        certified_product(commune=mapped.dak_koi, name=f"Sâm số {i}")

    cache.clear()
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("catalog:statistics"))


def test_the_2025_province_dashboard_draws_its_communes(client, mapped):
    client.force_login(mapped.province_officer)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Sản phẩm được chứng nhận theo xã: Quảng Ngãi" in page
    section = page[page.index('class="dashboard-map"') :]
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert "Xã Đăk Kôi: 1" in svg and "Xã Đắk Pne: 1" in svg
    client.force_login(mapped.new_dak_koi_officer)
    assert 'class="dashboard-map"' not in client.get(reverse("core:dashboard")).content.decode()


def test_the_country_is_drawn_from_the_shipped_points_whatever_units_are_loaded(client, mapped):
    assert len(maps.country_points()) == 3318
    page = client.get(reverse("catalog:statistics")).content.decode()
    land = re.search(r'<path d="([^"]+)"', page).group(1)
    assert land.count("M") > 1500  # the whole country, though this test loaded a handful of units
