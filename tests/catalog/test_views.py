"""The public catalogue: only certified products, facets, diacritic-insensitive search, pages and query counts."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.catalog.models import CatalogEntry
from apps.catalog.services import catalog_rebuild
from apps.certificates.models import Certificate
from apps.certificates.services import certificate_revoke
from tests.factories.catalog import (
    bulk_certified_products,
    certified_product,
    certify,
    make_fair,
    make_point_of_sale,
    make_producer,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/san-pham/"


def listed_names(response):
    """Product names on a catalogue page, in order."""
    return re.findall(r'<strong class="product-name">([^<]+)</strong>', response.content.decode())


def test_catalogue_lists_only_certified_products_by_stars(client, catalog):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert listed_names(response) == [
        "Chả mực Hạ Long",
        "Nước mắm Phú Quốc truyền thống",
        "Rượu cần Đắk Kôi",
        "Thổ cẩm Kon Rẫy",
    ]
    assert "nháp" not in response.content.decode()


def test_catalogue_product_without_certificate_is_never_visible(client, catalog):
    assert client.get(reverse("catalog:product_detail", args=[catalog.draft.slug])).status_code == 404
    assert client.get(LIST_URL, {"q": "nuoc mam nhap"}).context["page_obj"].paginator.count == 0
    assert catalog.draft.slug not in client.get("/sitemap.xml").content.decode()


def test_catalogue_revoked_product_disappears_at_once(client, catalog):
    detail = reverse("catalog:product_detail", args=[catalog.fish.slug])
    assert client.get(detail).status_code == 200
    client.get(LIST_URL)  # warm the cached facet counts
    cert = catalog.fish.certificates.get()
    cert.revoked_at = timezone.now()
    cert.revocation_reason = "Không đánh giá lại đúng hạn"
    cert.save()
    response = client.get(LIST_URL)
    assert "Nước mắm Phú Quốc truyền thống" not in listed_names(response)
    assert [o.count for o in response.context["facets"]["stars"]] == [1, 2]
    # The product's page stays, to say the certificate was revoked (a buyer may hold the packaging).
    page = client.get(detail)
    assert page.status_code == 200
    status = page.text.split('data-testid="former-status"', 1)[1].split("</div>", 1)[0]
    assert "Giấy chứng nhận OCOP đã bị thu hồi" in status
    assert "Không đánh giá lại đúng hạn" in status
    assert '<meta name="robots" content="noindex">' in page.text
    assert not CatalogEntry.objects.filter(product=catalog.fish).exists()


def test_catalogue_expired_product_disappears_without_any_write_to_the_entry(client, catalog):
    # The day passes the certificate's end: nothing is saved, the row's own date is what the query checks.
    Certificate.objects.filter(product=catalog.wine).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "Rượu cần Đắk Kôi" not in listed_names(client.get(LIST_URL))
    page = client.get(reverse("catalog:product_detail", args=[catalog.wine.slug]))
    assert (page.status_code, "Giấy chứng nhận OCOP đã hết hiệu lực" in page.text) == (200, True)


def test_catalogue_upgrade_shows_the_new_stars_only(client, catalog):
    old = catalog.wine.certificates.get()
    new = certify(catalog.wine, stars=4)
    old.superseded_by = new
    old.save()
    entry = CatalogEntry.objects.get(product=catalog.wine)
    assert (entry.stars, entry.certificate_id) == (4, new.pk)
    assert client.get(LIST_URL, {"stars": 4}).context["page_obj"].paginator.count == 2


@pytest.mark.parametrize(
    "query",
    ["nuoc mam phu quoc", "NƯỚC MẮM Phú Quốc", "Nuoc  Mam", "phú quốc", "hop tac xa nuoc mam"],
)
def test_catalogue_search_ignores_diacritics_and_case(client, catalog, query):
    assert listed_names(client.get(LIST_URL, {"q": query})) == ["Nước mắm Phú Quốc truyền thống"]


def test_catalogue_search_matches_every_word(client, catalog):
    assert listed_names(client.get(LIST_URL, {"q": "cha muc"})) == ["Chả mực Hạ Long"]
    assert listed_names(client.get(LIST_URL, {"q": "dak koi"})) == ["Rượu cần Đắk Kôi", "Thổ cẩm Kon Rẫy"]
    assert listed_names(client.get(LIST_URL, {"q": "nuoc mam sau rieng"})) == []


FACET_CASES = [
    ("province", lambda t, c: t.p.pk, {"Chả mực Hạ Long", "Nước mắm Phú Quốc truyền thống"}),
    ("district", lambda t, c: t.dq.pk, {"Rượu cần Đắk Kôi", "Thổ cẩm Kon Rẫy"}),
    ("commune", lambda t, c: t.y.pk, {"Chả mực Hạ Long"}),
    ("group", lambda t, c: "DU", {"Rượu cần Đắk Kôi"}),
    ("product_set", lambda t, c: "TC02", {"Thổ cẩm Kon Rẫy"}),
    ("stars", lambda t, c: 5, {"Chả mực Hạ Long"}),
    ("stars", lambda t, c: 3, {"Rượu cần Đắk Kôi", "Thổ cẩm Kon Rẫy"}),
    ("year", lambda t, c: c.last_year.year, {"Chả mực Hạ Long", "Thổ cẩm Kon Rẫy"}),
]


@pytest.mark.parametrize(
    ("facet", "value", "expected"), FACET_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(FACET_CASES)]
)
def test_catalogue_each_facet_filters(client, tree, catalog, facet, value, expected):
    response = client.get(LIST_URL, {facet: value(tree, catalog)})
    assert set(listed_names(response)) == expected


def test_catalogue_facet_counts_follow_the_filters(client, tree, catalog):
    facets = client.get(LIST_URL, {"province": tree.q.pk}).context["facets"]
    assert [(o.label, o.count) for o in facets["province"]] == [("Tỉnh Kon Tum", 2)]
    assert [(o.label, o.count) for o in facets["district"]] == [("Huyện Kon Rẫy", 2)]
    assert [(o.label, o.count) for o in facets["commune"]] == [("Xã Đắk Kôi", 2)]
    assert [(o.value, o.count) for o in facets["group"]] == [("DU", 1), ("TC", 1)]


def test_catalogue_facet_counts_are_cached_and_refreshed_on_recognition(client, tree, catalog):
    first = client.get(LIST_URL).context["facets"]
    assert sum(o.count for o in first["stars"]) == 4
    certified_product(commune=tree.x, name="Mật ong bạc hà", stars=4, set_code="TP04")
    facets = client.get(LIST_URL).context["facets"]
    assert [(o.value, o.count) for o in facets["stars"]] == [("5", 1), ("4", 2), ("3", 2)]


def test_catalogue_invalid_filter_values_are_ignored(client, catalog):
    response = client.get(LIST_URL, {"stars": "7", "province": "abc"})
    assert response.status_code == 200
    assert len(listed_names(response)) == 4


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Chả mực Hạ Long", "Nước mắm Phú Quốc truyền thống", "Rượu cần Đắk Kôi", "Thổ cẩm Kon Rẫy"]),
        ("newest", ["Nước mắm Phú Quốc truyền thống", "Rượu cần Đắk Kôi", "Chả mực Hạ Long", "Thổ cẩm Kon Rẫy"]),
        ("stars", ["Chả mực Hạ Long", "Nước mắm Phú Quốc truyền thống", "Rượu cần Đắk Kôi", "Thổ cẩm Kon Rẫy"]),
    ],
)
def test_catalogue_sorts(client, catalog, sort, expected):
    assert listed_names(client.get(LIST_URL, {"sort": sort})) == expected


def test_catalogue_paginates(client, tree):
    bulk_certified_products(30, communes=[tree.x])
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})
    assert (len(listed_names(first)), len(listed_names(second))) == (24, 6)
    assert set(listed_names(first)).isdisjoint(listed_names(second))
    assert 'rel="next" href="?page=2"' in first.content.decode()


@pytest.mark.parametrize("n", [5, 500])
def test_catalogue_query_count_is_constant(client, tree, django_assert_max_num_queries, n):
    bulk_certified_products(n, communes=[tree.x, tree.y, tree.z])
    with django_assert_max_num_queries(10):
        cold = client.get(LIST_URL, {"province": tree.p.pk, "sort": "name"})
    with django_assert_max_num_queries(10):
        client.get(LIST_URL, {"q": "san pham", "stars": 3})
    assert cold.context["page_obj"].paginator.count == len([i for i in range(n) if i % 3 in (0, 1)])


@pytest.mark.parametrize("n", [5, 500])
def test_product_page_query_count_is_constant(client, tree, django_assert_max_num_queries, n):
    products = bulk_certified_products(n, communes=[tree.x])
    make_point_of_sale(unit=tree.p, products=products)
    make_fair(unit=tree.p, products=products)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("catalog:product_detail", args=[products[0].slug]))
    assert response.status_code == 200


def test_product_page_shows_certificate_story_producer_and_where_to_buy(client, tree, catalog):
    point = make_point_of_sale(unit=tree.x, products=[catalog.fish], name="Trung tâm OCOP Quảng Ninh")
    fair = make_fair(unit=tree.p, products=[catalog.fish], name="Hội chợ OCOP Quảng Ninh 2026")
    past = make_fair(
        unit=tree.p, products=[catalog.fish], name="Hội chợ cũ", starts_on=timezone.localdate().replace(year=2020)
    )
    cert = catalog.fish.certificates.get()
    html = client.get(reverse("catalog:product_detail", args=[catalog.fish.slug])).content.decode()
    assert "<title>Nước mắm Phú Quốc truyền thống — OCOP 4★ · Mỗi xã một sản phẩm</title>" in html
    assert 'aria-label="4 sao"' in html
    assert "Cá cơm ủ chượp mười hai tháng." in html
    assert "Hợp tác xã Nước mắm Hạ Long" in html
    assert reverse("catalog:point_of_sale_detail", args=[point.slug]) in html
    assert reverse("catalog:fair_detail", args=[fair.slug]) in html
    assert past.name not in html
    assert f'href="/xac-thuc/{cert.token}/"' in html
    assert cert.serial in html
    assert '<meta property="og:type" content="product">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.+?)</script>', html, re.S).group(1))
    assert (data["@type"], data["name"]) == ("Product", "Nước mắm Phú Quốc truyền thống")
    assert data["review"]["reviewRating"]["ratingValue"] == 4
    assert data["brand"]["name"] == "Hợp tác xã Nước mắm Hạ Long"


def test_product_page_in_english(client, catalog):
    html = client.get(f"/en/san-pham/{catalog.fish.slug}/").content.decode()
    assert '<html lang="en">' in html
    assert "Where to buy" in html
    assert "Check the certificate against the official record" in html


def test_producer_page_lists_only_certified_products(client, catalog):
    response = client.get(reverse("catalog:producer_detail", args=[catalog.fish.producer.slug]))
    assert listed_names(response) == ["Nước mắm Phú Quốc truyền thống"]
    assert "Thôn" in response.content.decode()


def test_producer_without_certified_products_has_no_public_page(client, tree):
    producer = make_producer(commune=tree.x)
    assert client.get(reverse("catalog:producer_detail", args=[producer.slug])).status_code == 404


def test_producer_page_query_count(client, tree, django_assert_max_num_queries):
    products = bulk_certified_products(40, communes=[tree.x])
    for product in products[1:]:
        product.producer = products[0].producer
    type(products[0]).objects.bulk_update(products, ["producer"])

    catalog_rebuild()
    with django_assert_max_num_queries(8):
        response = client.get(reverse("catalog:producer_detail", args=[products[0].producer.slug]))
    assert len(listed_names(response)) == 40


def test_statistics_page_counts_by_stars_group_and_province(client, catalog):
    response = client.get(reverse("catalog:statistics"))
    stats = response.context["stats"]
    assert stats["totals"] == {"products": 4, "producers": 4, "provinces": 2}
    assert [(o.value, o.count) for o in stats["stars"]] == [("5", 1), ("4", 1), ("3", 2)]
    assert [(o.value, o.count) for o in stats["group"]] == [("TP", 2), ("DU", 1), ("TC", 1)]
    assert [(o.label, o.count) for o in stats["province"]] == [("Tỉnh Kon Tum", 2), ("Tỉnh Quảng Ninh", 2)]
    assert 'class="bar bar-50"' in response.content.decode()


def test_points_of_sale_show_only_certified_products(client, tree, catalog):
    point = make_point_of_sale(unit=tree.x, products=[catalog.fish, catalog.draft], name="Điểm bán Hạ Long")
    html = client.get(reverse("catalog:point_of_sale_list")).content.decode()
    assert "Điểm bán Hạ Long" in html
    assert "1 sản phẩm" in html
    response = client.get(reverse("catalog:point_of_sale_detail", args=[point.slug]))
    assert listed_names(response) == ["Nước mắm Phú Quốc truyền thống"]


def test_closed_point_of_sale_is_not_public(client, tree, catalog):
    point = make_point_of_sale(unit=tree.x, products=[catalog.fish], is_active=False, name="Điểm đã đóng")
    assert "Điểm đã đóng" not in client.get(reverse("catalog:point_of_sale_list")).content.decode()
    assert client.get(reverse("catalog:point_of_sale_detail", args=[point.slug])).status_code == 404


def test_fairs_split_upcoming_and_past(client, tree, catalog):
    upcoming = make_fair(unit=tree.p, products=[catalog.fish, catalog.squid], name="Hội chợ sắp tới")
    past = make_fair(unit=tree.q, products=[catalog.wine], name="Hội chợ đã qua", starts_on=datetime.date(2024, 5, 1))
    response = client.get(reverse("catalog:fair_list"))
    assert [f.name for f in response.context["upcoming"]] == [upcoming.name]
    assert [f.name for f in response.context["past"]] == [past.name]
    detail = client.get(reverse("catalog:fair_detail", args=[upcoming.slug]))
    assert set(listed_names(detail)) == {"Nước mắm Phú Quốc truyền thống", "Chả mực Hạ Long"}


def test_sitemap_lists_certified_products_and_producers_in_both_languages(client, catalog):
    xml = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver/san-pham/{catalog.fish.slug}/" in xml
    assert f"http://testserver/en/san-pham/{catalog.fish.slug}/" in xml
    assert f"http://testserver/chu-the/{catalog.fish.producer.slug}/" in xml
    assert catalog.draft.slug not in xml


def test_robots_txt_points_to_the_sitemap_and_hides_staff_pages(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /quan-ly/" in text


def test_home_page_shows_featured_products_counts_and_search(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/")
    html = response.content.decode()
    assert [e.name for e in response.context["featured"]][:2] == ["Chả mực Hạ Long", "Nước mắm Phú Quốc truyền thống"]
    assert 'action="/san-pham/"' in html
    assert "<strong>4</strong> sản phẩm được chứng nhận" in html


def test_public_page_cache_serves_anonymous_repeat_without_sql(client, catalog, django_assert_num_queries):
    first = client.get(LIST_URL, {"stars": 4})
    with django_assert_num_queries(0):
        second = client.get(LIST_URL, {"stars": 4})
    assert second.status_code == 200
    assert second.content == first.content


def test_public_page_cache_is_dropped_by_a_revocation(client, catalog, users):

    detail = reverse("catalog:product_detail", args=[catalog.fish.slug])
    assert "Nước mắm Phú Quốc truyền thống" in listed_names(client.get(LIST_URL))
    assert client.get(detail).status_code == 200
    certificate_revoke(certificate=catalog.fish.certificates.get(), reason="Vi phạm an toàn thực phẩm", by=users.admin)
    assert "Nước mắm Phú Quốc truyền thống" not in listed_names(client.get(LIST_URL))
    assert "Giấy chứng nhận OCOP đã bị thu hồi" in client.get(detail).text


def test_public_page_cache_keeps_languages_apart(client, catalog):
    vi = client.get(LIST_URL).content.decode()
    en = client.get("/en" + LIST_URL).content.decode()
    assert '<html lang="vi">' in vi
    assert '<html lang="en">' in en


def test_public_page_cache_is_bypassed_for_logged_in_staff(client, catalog, users):
    client.get(LIST_URL)
    client.force_login(users.province)
    html = client.get(LIST_URL).content.decode()
    assert "Điều hướng chính" in html
