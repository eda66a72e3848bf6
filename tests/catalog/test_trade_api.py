"""Open data on trade promotion: /api/v1/points-of-sale/ and /api/v1/fairs/ (public fields, certified products only)."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.catalog.services import fair_product_link, point_of_sale_update
from apps.certificates.services import certificate_revoke
from ocop_portal.wsgi import application
from tests.factories.catalog import bulk_certified_products, make_fair, make_point_of_sale

pytestmark = pytest.mark.django_db

POINTS = "/api/v1/points-of-sale/"
FAIRS = "/api/v1/fairs/"


def names(response):
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_trade_api_points_of_sale_list_public_fields_of_open_points(client, tree, trade):
    make_point_of_sale(unit=tree.y, name="Điểm bán đã đóng cửa", is_active=False)
    response = client.get(POINTS)
    assert response["Content-Type"] == "application/json"
    rows = response.json()["results"]
    assert {r["name"] for r in rows} == {"Điểm bán OCOP Kon Tum", "Trung tâm OCOP Hạ Long"}
    showroom = next(r for r in rows if r["slug"] == trade.showroom.slug)
    assert set(showroom) == {
        "slug",
        "name",
        "kind",
        "address",
        "opening_hours",
        "phone",
        "website",
        "unit",
        "province",
        "product_count",
        "url",
    }
    assert showroom["unit"] == {"id": tree.x.pk, "edition": tree.x.edition, "code": "06649", "name": "Phường Hà Khánh"}
    assert showroom["province"]["name"] == "Tỉnh Quảng Ninh"
    # The uncertified draft it carries does not count.
    assert showroom["product_count"] == 1
    assert showroom["url"] == f"http://testserver/diem-ban/{trade.showroom.slug}/"


def test_trade_api_point_of_sale_detail_lists_only_certified_products(client, trade, catalog):
    data = client.get(f"{POINTS}{trade.showroom.slug}/").json()
    assert data["products"] == [
        {
            "slug": catalog.fish.slug,
            "name": "Nước mắm Phú Quốc truyền thống",
            "stars": 4,
            "url": f"http://testserver/san-pham/{catalog.fish.slug}/",
        }
    ]
    assert data["opening_hours"] == "8:00–21:00"


def test_trade_api_closed_point_of_sale_is_not_found(client, tree):
    closed = make_point_of_sale(unit=tree.x, is_active=False)
    assert client.get(f"{POINTS}{closed.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda t: {"province": t.p.pk}, ["Trung tâm OCOP Hạ Long"]),
        (lambda t: {"province": t.q.pk}, ["Điểm bán OCOP Kon Tum"]),
        (lambda t: {"province": t.y.pk}, []),
        (lambda t: {"province": 987654321}, []),
        (lambda t: {"kind": "showroom"}, ["Điểm bán OCOP Kon Tum", "Trung tâm OCOP Hạ Long"]),
        (lambda t: {"kind": "shop"}, []),
    ],
    ids=["province-22", "province-62", "commune-without-points", "unknown-unit", "showroom", "shop"],
)
def test_trade_api_points_of_sale_filters(client, tree, trade, params, expected):
    assert sorted(names(client.get(POINTS, params(tree)))) == sorted(expected)


def test_trade_api_fairs_list_and_filters(client, tree, trade):
    today = timezone.localdate()
    assert names(client.get(FAIRS)) == ["Hội chợ OCOP Quảng Ninh", "Hội chợ OCOP Kon Tum cũ"]
    assert names(client.get(FAIRS, {"upcoming": "true"})) == ["Hội chợ OCOP Quảng Ninh"]
    assert names(client.get(FAIRS, {"upcoming": "false"})) == ["Hội chợ OCOP Kon Tum cũ"]
    assert names(client.get(FAIRS, {"province": tree.q.pk})) == ["Hội chợ OCOP Kon Tum cũ"]
    # Fairs running at some time inside [date_from, date_to].
    in_2024 = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
    assert names(client.get(FAIRS, in_2024)) == ["Hội chợ OCOP Kon Tum cũ"]
    last_day = today + datetime.timedelta(days=14)
    assert names(client.get(FAIRS, {"date_from": last_day.isoformat()})) == ["Hội chợ OCOP Quảng Ninh"]
    assert names(client.get(FAIRS, {"date_from": (last_day + datetime.timedelta(days=1)).isoformat()})) == []
    assert names(client.get(FAIRS, {"date_to": (today + datetime.timedelta(days=9)).isoformat()})) == [
        "Hội chợ OCOP Kon Tum cũ"
    ]


def test_trade_api_fair_row_has_dates_and_counts_certified_products(client, trade):
    row = next(r for r in client.get(FAIRS).json()["results"] if r["slug"] == trade.fair.slug)
    assert (row["starts_on"], row["ends_on"]) == (trade.fair.starts_on.isoformat(), trade.fair.ends_on.isoformat())
    assert row["product_count"] == 2
    assert row["province"]["name"] == "Tỉnh Quảng Ninh"


@pytest.mark.parametrize(
    "params", [{"province": "1.5"}, {"province": "abc"}, {"date_from": "2026-13-01"}, {"kind": "kiosk"}]
)
def test_trade_api_rejects_invalid_filter_values(client, trade, params):
    url = FAIRS if "date_from" in params else POINTS
    response = client.get(url, params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_trade_api_revoked_product_disappears_from_the_fair_at_once(client, trade, catalog, users):

    url = f"{FAIRS}{trade.fair.slug}/"
    first = client.get(url)
    assert [p["name"] for p in first.json()["products"]] == ["Nước mắm Phú Quốc truyền thống", "Rượu cần Đắk Kôi"]
    certificate_revoke(certificate=catalog.fish.certificates.get(), reason="Vi phạm an toàn thực phẩm", by=users.admin)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert [p["name"] for p in again.json()["products"]] == ["Rượu cần Đắk Kôi"]
    row = next(r for r in client.get(FAIRS).json()["results"] if r["slug"] == trade.fair.slug)
    assert row["product_count"] == 1


def test_trade_api_etag_answers_304_until_staff_change_something(
    client, users, trade, catalog, django_capture_on_commit_callbacks
):
    first = client.get(POINTS)
    etag = first["ETag"]
    assert client.get(POINTS, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(POINTS, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        point_of_sale_update(point_of_sale=trade.showroom, by=users.province, name="Trung tâm OCOP Bãi Cháy")
    changed = client.get(POINTS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Trung tâm OCOP Bãi Cháy" in names(changed)
    detail = f"{FAIRS}{trade.fair.slug}/"
    fair_etag = client.get(detail)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        fair_product_link(fair=trade.fair, product=catalog.squid, by=users.province)
    linked = client.get(detail, HTTP_IF_NONE_MATCH=fair_etag)
    assert linked.status_code == 200
    assert "Chả mực Hạ Long" in [p["name"] for p in linked.json()["products"]]


@override_settings(OCOP_API_RATE_LIMIT="2/minute")
def test_trade_api_is_throttled_like_the_rest(client, trade):
    codes = [client.get(url, REMOTE_ADDR="203.0.113.9").status_code for url in (POINTS, FAIRS, POINTS)]
    assert codes == [200, 200, 429]


def test_trade_api_is_read_only(client, trade):
    assert client.post(POINTS, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{FAIRS}{trade.fair.slug}/").status_code == 405


def test_trade_api_paginates(client, tree):
    for i in range(3):
        make_fair(unit=tree.p, name=f"Hội chợ {i}")
    data = client.get(FAIRS, {"page_size": 2}).json()
    assert (data["count"], len(data["results"]), data["next"]) == (
        3,
        2,
        "http://testserver/api/v1/fairs/?page=2&page_size=2",
    )


@pytest.mark.parametrize("n", [1, 60])
def test_trade_api_query_count_is_constant(client, tree, django_assert_max_num_queries, n):
    products = bulk_certified_products(8, communes=[tree.x, tree.z])
    for i in range(n):
        make_point_of_sale(unit=tree.x if i % 2 else tree.z, products=products)
        make_fair(unit=tree.p, products=products)
    point = make_point_of_sale(unit=tree.x, products=products)
    fair = make_fair(unit=tree.q, products=products)
    for url in (POINTS, FAIRS, f"{POINTS}{point.slug}/", f"{FAIRS}{fair.slug}/"):
        with django_assert_max_num_queries(6):
            response = client.get(url, {"province": tree.p.pk} if url == POINTS else {})
        assert response.status_code == 200
    assert len(client.get(f"{FAIRS}{fair.slug}/").json()["products"]) == 8


def test_trade_api_schema_documents_the_new_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert set(schema["paths"]) >= {
        "/api/v1/points-of-sale/",
        "/api/v1/points-of-sale/{slug}/",
        "/api/v1/fairs/",
        "/api/v1/fairs/{slug}/",
    }
    fair_params = {p["name"] for p in schema["paths"]["/api/v1/fairs/"]["get"]["parameters"]}
    assert fair_params == {"province", "upcoming", "date_from", "date_to", "page", "page_size"}
    point_params = {p["name"] for p in schema["paths"]["/api/v1/points-of-sale/"]["get"]["parameters"]}
    assert point_params == {"province", "kind", "page", "page_size"}


@pytest.fixture
def api_schema(db):
    # Called in-process like the test client does: keep the test's database connection open between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


trade_schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex="^/api/v1/(points-of-sale|fairs)/")


@trade_schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_trade_api_responses_match_the_schema_with_data(case, trade):
    # The catalogue-wide run has no point of sale or fair: this one answers with real rows (blank websites too).
    response = case.call()
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
