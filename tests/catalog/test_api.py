"""The open-data API: same listing rules and facets as the catalogue, schema, CORS, throttling, conditional GET."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.geo.models import AdministrativeUnit
from ocop_portal.wsgi import application
from tests.factories.catalog import certified_product, make_producer

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"


def names(response):
    return [row["name"] for row in response.json()["results"]]


def test_api_lists_only_certified_products(client, catalog):
    response = client.get(PRODUCTS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["count"] == 4
    assert names(response) == [
        "Chả mực Hạ Long",
        "Nước mắm Phú Quốc truyền thống",
        "Rượu cần Đắk Kôi",
        "Thổ cẩm Kon Rẫy",
    ]


def test_api_draft_product_is_never_visible(client, catalog):
    assert client.get(f"{PRODUCTS}{catalog.draft.slug}/").status_code == 404


def test_api_revoked_product_disappears_at_once(client, catalog):
    url = f"{PRODUCTS}{catalog.fish.slug}/"
    assert client.get(url).json()["stars"] == 4
    cert = catalog.fish.certificates.get()
    cert.revoked_at = timezone.now()
    cert.revocation_reason = "Vi phạm an toàn thực phẩm"
    cert.save()
    assert client.get(url).status_code == 404
    assert "Nước mắm Phú Quốc truyền thống" not in names(client.get(PRODUCTS))
    assert client.get("/api/v1/statistics/").json()["totals"]["products"] == 3


API_FACETS = [
    ("province", lambda t, c: t.p.pk, {"Chả mực Hạ Long", "Nước mắm Phú Quốc truyền thống"}),
    ("district", lambda t, c: t.dq.pk, {"Rượu cần Đắk Kôi", "Thổ cẩm Kon Rẫy"}),
    ("commune", lambda t, c: t.y.pk, {"Chả mực Hạ Long"}),
    ("group", lambda t, c: "DU", {"Rượu cần Đắk Kôi"}),
    ("product_set", lambda t, c: "TC02", {"Thổ cẩm Kon Rẫy"}),
    ("stars", lambda t, c: 5, {"Chả mực Hạ Long"}),
    ("year", lambda t, c: c.last_year.year, {"Chả mực Hạ Long", "Thổ cẩm Kon Rẫy"}),
    ("q", lambda t, c: "nuoc mam phu quoc", {"Nước mắm Phú Quốc truyền thống"}),
]


@pytest.mark.parametrize(("facet", "value", "expected"), API_FACETS, ids=[c[0] for c in API_FACETS])
def test_api_filters_like_the_catalogue(client, tree, catalog, facet, value, expected):
    v = value(tree, catalog)
    assert set(names(client.get(PRODUCTS, {facet: v}))) == expected
    assert {e.name for e in client.get("/san-pham/", {facet: v}).context["page_obj"]} == expected


def test_api_rejects_invalid_filter_values(client, catalog):
    response = client.get(PRODUCTS, {"stars": 2})
    assert response.status_code == 400
    assert "stars" in response.json()


def test_api_product_detail_has_story_and_verification_link(client, catalog):
    data = client.get(f"{PRODUCTS}{catalog.fish.slug}/").json()
    cert = catalog.fish.certificates.get()
    assert data["story"] == "Cá cơm ủ chượp mười hai tháng."
    assert data["certificate"]["verification_url"] == f"http://testserver/xac-thuc/{cert.token}/"
    assert data["producer"] == {"slug": catalog.fish.producer.slug, "name": "Hợp tác xã Nước mắm Hạ Long"}


def test_api_producers_show_public_fields_of_certified_producers_only(client, tree, catalog):
    make_producer(commune=tree.x, name="Chủ thể chưa có sản phẩm")
    response = client.get("/api/v1/producers/")
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == sorted(r["name"] for r in rows)
    assert "Chủ thể chưa có sản phẩm" not in [r["name"] for r in rows]
    assert set(rows[0]) == {"slug", "name", "kind", "address", "commune", "certified_products", "url"}
    fish_row = next(r for r in rows if r["slug"] == catalog.fish.producer.slug)
    # Its uncertified draft does not count.
    assert fish_row["certified_products"] == 1
    assert len(client.get("/api/v1/producers/", {"province": tree.q.pk}).json()["results"]) == 2


def test_api_units_filter_by_level_and_parent(client, tree):
    response = client.get("/api/v1/units/", {"parent": tree.d.pk})
    assert [u["name"] for u in response.json()["results"]] == ["Phường Hà Khánh", "Phường Hà Phong"]
    assert (
        client.get("/api/v1/units/", {"level": "province"}).json()["count"]
        == AdministrativeUnit.objects.filter(level="province").count()
    )


def test_api_statistics(client, catalog):
    data = client.get("/api/v1/statistics/").json()
    assert data["totals"] == {"products": 4, "producers": 4, "provinces": 2}
    assert data["by_stars"] == [{"stars": 5, "count": 1}, {"stars": 4, "count": 1}, {"stars": 3, "count": 2}]
    assert [g["code"] for g in data["by_group"]] == ["TP", "DU", "TC"]


def test_api_paginates_with_bounded_page_size(client, tree):
    for i in range(3):
        certified_product(commune=tree.x, name=f"Bánh đa {i}")
    data = client.get(PRODUCTS, {"page_size": 2}).json()
    assert (data["count"], len(data["results"]), data["next"]) == (
        3,
        2,
        "http://testserver/api/v1/products/?page=2&page_size=2",
    )


def test_api_etag_answers_304_until_the_catalogue_changes(client, tree, catalog):
    first = client.get(PRODUCTS, {"stars": 3})
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(PRODUCTS, {"stars": 3}, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content) == (304, b"")
    # Only the request's savepoint (ATOMIC_REQUESTS): the answer comes from the cached version, not the tables.
    assert [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]] == []
    assert client.get(PRODUCTS, {"stars": 4}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    certified_product(commune=tree.x, name="Miến dong", stars=3)
    changed = client.get(PRODUCTS, {"stars": 3}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Miến dong" in names(changed)


def test_api_last_modified_answers_304(client, catalog):
    first = client.get("/api/v1/statistics/")
    assert client.get("/api/v1/statistics/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_api_allows_cross_origin_get_only(client, catalog):
    response = client.get(PRODUCTS, HTTP_ORIGIN="https://dulieu.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        PRODUCTS, HTTP_ORIGIN="https://dulieu.example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/san-pham/", HTTP_ORIGIN="https://x.example").headers


def test_api_is_read_only(client, catalog):
    assert client.post(PRODUCTS, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{PRODUCTS}{catalog.fish.slug}/").status_code == 405


@override_settings(OCOP_API_RATE_LIMIT="3/minute")
def test_api_throttles_each_client(client, catalog):
    codes = [client.get(PRODUCTS, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # Another address has its own budget; a forged X-Forwarded-For does not reset the count.
    assert client.get(PRODUCTS, REMOTE_ADDR="203.0.113.8").status_code == 200
    assert client.get(PRODUCTS, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429


def test_api_schema_is_valid_openapi(client):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert set(schema["paths"]) >= {
        "/api/v1/products/",
        "/api/v1/products/{slug}/",
        "/api/v1/producers/",
        "/api/v1/units/",
        "/api/v1/statistics/",
    }
    params = {p["name"] for p in schema["paths"]["/api/v1/products/"]["get"]["parameters"]}
    assert params >= {"q", "province", "district", "commune", "group", "product_set", "stars", "year", "sort", "page"}
    assert client.get("/api/v1/schema/").status_code == 200


@pytest.fixture
def api_schema(db):
    # Called in-process like the test client does: keep the test's database connection open between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_responses_match_the_schema(case, catalog):
    response = case.call()
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
