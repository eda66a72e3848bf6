"""The page cache served before the session, locale, CSRF and authentication middlewares, to visitors without
cookies: the same bytes and headers as the normal path, never to anyone the normal path would treat otherwise."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from apps.catalog.cache import catalog_version_bump
from tests.factories.catalog import certified_product

pytestmark = pytest.mark.django_db

EARLY = "apps.catalog.middleware.PublicPageMiddleware"


def early(response):
    """Served by the early middleware: the session middleware never saw the request."""
    return not hasattr(response.wsgi_request, "session")


def wire(response):
    """What goes out, the request id aside."""
    headers = [(name, "<id>" if name == "X-Request-ID" else value) for name, value in response.items()]
    return response.status_code, headers, response.content


def public_urls(catalog):
    product = reverse("catalog:product_detail", args=[catalog.fish.slug])
    return [
        "/san-pham/",
        "/san-pham/?stars=4&sort=name",
        "/en/san-pham/?q=m%E1%BA%AFm",
        product,
        "/en" + product,
        reverse("catalog:producer_detail", args=[catalog.fish.producer.slug]),
        reverse("catalog:statistics"),
    ]


def test_early_hit_is_the_normal_response_byte_for_byte(catalog, settings):
    client = Client()
    for url in public_urls(catalog):
        stored = client.get(url)
        replayed = client.get(url)
        browser_asks_english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert (early(stored), early(replayed), early(browser_asks_english)) == (False, True, True), url
        assert wire(replayed) == wire(stored), url
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != EARLY]
    normal = Client()
    for url in public_urls(catalog):
        hit = normal.get(url)  # the page cache's own hit, through every middleware
        replayed = client.get(url)
        assert (early(hit), early(replayed)) == (False, True)
        assert wire(replayed) == wire(hit), url
        asks_english = (normal.get(url, HTTP_ACCEPT_LANGUAGE="en"), client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
        assert wire(asks_english[1]) == wire(asks_english[0]), url


def test_early_hit_carries_its_own_request_id(catalog):
    client = Client()
    stored = client.get("/san-pham/")
    replayed = client.get("/san-pham/")
    given = client.get("/san-pham/", HTTP_X_REQUEST_ID="proxy-1234")
    assert (early(replayed), early(given)) == (True, True)
    assert replayed["X-Request-ID"] not in ("", stored["X-Request-ID"])
    assert given["X-Request-ID"] == "proxy-1234"


def test_early_path_never_serves_a_signed_in_user_or_a_request_with_cookies(catalog, users):
    anonymous = Client()
    anonymous.get("/san-pham/")
    assert early(anonymous.get("/san-pham/"))
    signed_in = Client()
    signed_in.force_login(users.province)
    page = signed_in.get("/san-pham/")
    assert (early(page), page.wsgi_request.user.is_authenticated, 'action="/accounts/logout/"' in page.text) == (
        False,
        True,
        True,
    )
    for cookie in ("sessionid", "csrftoken", "django_language", "anything"):
        with_cookie = Client()
        with_cookie.cookies[cookie] = "x"
        response = with_cookie.get("/san-pham/")
        assert (response.status_code, early(response)) == (200, False), cookie


def test_early_path_keys_the_whole_query_string(catalog):
    client = Client()
    four = client.get("/san-pham/", {"stars": 4})
    assert early(client.get("/san-pham/", {"stars": 4}))
    for other in ({"stars": 3}, {"stars": 4, "page": 1}, {"stars": 4, "sort": "name"}):
        response = client.get("/san-pham/", other)
        assert early(response) is False, other
    assert client.get("/san-pham/", {"stars": 3}).content != four.content


def test_early_path_misses_after_a_catalogue_change(catalog, tree):
    client = Client()
    client.get("/san-pham/")
    assert early(client.get("/san-pham/"))
    certified_product(commune=tree.x, name="Mật ong bạc hà Đồng Văn", stars=4)
    catalog_version_bump()
    fresh = client.get("/san-pham/")
    assert (early(fresh), "Mật ong bạc hà Đồng Văn" in fresh.text) == (False, True)
    again = client.get("/san-pham/")
    assert (early(again), again.content) == (True, fresh.content)


def test_early_path_leaves_other_pages_posts_and_the_cache_switch_alone(catalog, settings, monkeypatch):
    client = Client()
    client.get("/san-pham/")
    backend = caches["default"]
    reads = []
    original = backend.get_many
    monkeypatch.setattr(backend, "get_many", lambda *a, **k: reads.append(a) or original(*a, **k))
    robots = client.get("/robots.txt")
    assert (robots.status_code, early(robots), reads) == (200, False, [])
    post = client.post("/san-pham/")
    assert (post.status_code, early(post)) == (405, False)
    settings.OCOP_PUBLIC_PAGE_CACHE = False
    off = client.get("/san-pham/")
    assert (off.status_code, early(off)) == (200, False)
