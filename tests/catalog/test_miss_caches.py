"""The caches a catalogue page reads when the page cache misses (its own words, a logged-in visitor, the page cache
off): the product page's parts and the product cards, both under the catalogue's version. Never stale, and the
number of queries does not grow with the catalogue."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.catalog.cache import catalog_version_bump
from apps.catalog.models import CatalogEntry
from tests.factories.catalog import bulk_certified_products, certified_product, certify

pytestmark = pytest.mark.django_db

LIST_URL = "/san-pham/"


@pytest.fixture
def page_cache_off(settings):
    settings.OCOP_PUBLIC_PAGE_CACHE = False


def card_of(html, name):
    """The card of the product called ``name`` on a catalogue page."""
    cards = re.findall(r'<li class="product-card">.*?</li>', html, flags=re.S)
    return next(card for card in cards if f'<strong class="product-name">{name}</strong>' in card)


def test_product_page_miss_reads_its_parts_back_without_sql(client, catalog, page_cache_off, django_assert_num_queries):
    url = reverse("catalog:product_detail", args=[catalog.fish.slug])
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert (second.status_code, second.content) == (200, first.content)


def test_product_page_parts_follow_an_upgrade_and_a_price_change(client, catalog, page_cache_off):
    url = reverse("catalog:product_detail", args=[catalog.wine.slug])
    assert "3★</dd>" in client.get(url).text
    old = catalog.wine.certificates.get()
    old.superseded_by = certify(catalog.wine, stars=4)
    old.save()
    upgraded = client.get(url).text
    assert ("4★</dd>" in upgraded, "3★</dd>" in upgraded) == (True, False)
    catalog.wine.price_min = catalog.wine.price_max = 123456
    catalog.wine.save()
    assert "123.456 ₫" in client.get(url).text or "123,456 ₫" in client.get(url).text


def test_product_card_follows_an_upgrade_and_a_rename(client, catalog, page_cache_off):
    name = CatalogEntry.objects.get(product=catalog.wine).name
    assert "3 sao" in card_of(client.get(LIST_URL).text, name)
    old = catalog.wine.certificates.get()
    old.superseded_by = certify(catalog.wine, stars=4)
    old.save()
    card = card_of(client.get(LIST_URL).text, name)
    assert ("4 sao" in card, "3 sao" in card) == (True, False)
    catalog.wine.name = "Rượu cần Kon Tum đổi tên"
    catalog.wine.save()
    assert "Rượu cần Kon Tum đổi tên" in card_of(client.get(LIST_URL).text, "Rượu cần Kon Tum đổi tên")


def test_product_page_of_another_language_or_host_is_not_shared(client, catalog, page_cache_off):
    url = reverse("catalog:product_detail", args=[catalog.fish.slug])
    vi = client.get(url).text
    en = client.get("/en" + url).text
    other_host = client.get(url, HTTP_HOST="localhost").text
    assert ('<html lang="vi">' in vi, '<html lang="en">' in en) == (True, True)
    assert "http://testserver/" in vi
    assert ("http://localhost/" in other_host, "http://testserver/" in other_host) == (True, False)


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_are_equal_at_one_and_at_many_products(client, tree, page_cache_off):
    """Cold (just after a catalogue change: nothing cached) and warm, the list, a search and a product page run as
    many queries with one product as with sixty."""
    counts = []
    for n in (1, 59):
        products = bulk_certified_products(n, communes=[tree.x, tree.y])
        urls = [
            (LIST_URL, {}),
            (LIST_URL, {"q": "san pham", "stars": 3, "sort": "name"}),
            (reverse("catalog:product_detail", args=[products[0].slug]), {}),
        ]
        runs = []
        for url, params in urls:
            catalog_version_bump()  # every cached card, facet and page part stale
            runs += [_queries(client, url, params), _queries(client, url, params)]
        counts.append(runs)
    assert counts[0] == counts[1]


def test_filter_form_counts_follow_an_upgrade(client, catalog, page_cache_off):
    """The rendered filter form (cached with the facet counts) shows the new star counts at once."""

    def star_counts(html):
        return re.findall(r'name="stars" value="(\d)"[^>]*> [^(]+\((\d+)\)', html)

    before = dict(star_counts(client.get(LIST_URL).text))
    old = catalog.wine.certificates.get()
    old.superseded_by = certify(catalog.wine, stars=4)
    old.save()
    after = dict(star_counts(client.get(LIST_URL).text))
    assert (int(after["4"]) - int(before["4"]), int(after.get("3", 0)) - int(before.get("3", 0))) == (1, -1)


def _count_redis_reads(monkeypatch):
    backend = caches["default"]
    reads = []
    for name in ("get", "get_many"):
        original = getattr(backend, name)
        monkeypatch.setattr(backend, name, lambda *a, _o=original, _n=name, **k: reads.append(_n) or _o(*a, **k))
    return reads


def test_warm_catalogue_miss_is_one_query_and_two_cache_reads(
    client, catalog, page_cache_off, monkeypatch, django_assert_num_queries
):
    """With everything cached in Redis but the page, in a process that has not read it yet (its memory empty): the
    page's ids in one query; the version, then the facet counts, the filter form and the cards in one ``get_many``."""
    client.get(LIST_URL, {"stars": 4})
    caches["catalog"].clear()  # what another web process finds
    backend = caches["default"]
    reads = []
    for name in ("get", "get_many"):
        original = getattr(backend, name)
        monkeypatch.setattr(backend, name, lambda *a, _o=original, _n=name, **k: reads.append(_n) or _o(*a, **k))
    with django_assert_num_queries(1):
        response = client.get(LIST_URL, {"stars": 4})
    assert (response.status_code, len(reads)) == (200, 2)


@pytest.mark.parametrize("params", [{"stars": 4}, {"q": "nước mắm", "stars": 4, "sort": "name"}])
def test_catalogue_miss_in_a_process_that_read_its_parts_is_one_query_and_one_cache_read(
    client, catalog, page_cache_off, monkeypatch, django_assert_num_queries, params
):
    """The facet counts, the filter form and the cards a process has read once come from its own memory: what is
    left of a warm miss is the page's ids (one query) and the catalogue's version (one read from Redis)."""
    first = client.get(LIST_URL, params)
    reads = _count_redis_reads(monkeypatch)
    with django_assert_num_queries(1):
        response = client.get(LIST_URL, params)
    assert (response.status_code, reads, response.content) == (200, ["get"], first.content)


def test_memory_copies_follow_a_version_bump(client, catalog, page_cache_off):
    """A card kept in a process's memory is never shown once the catalogue's version moved on (a rename made in
    another process: Redis holds the new version, this process's memory still the old card)."""
    name = CatalogEntry.objects.get(product=catalog.wine).name
    assert name in client.get(LIST_URL).text
    CatalogEntry.objects.filter(product=catalog.wine).update(name="Rượu cần đổi tên ở nơi khác")
    assert name in client.get(LIST_URL).text  # same version: the kept card
    catalog_version_bump()
    html = client.get(LIST_URL).text
    assert ("Rượu cần đổi tên ở nơi khác" in html, name in html) == (True, False)


def test_product_page_miss_in_a_process_that_read_it_is_one_cache_read(
    client, catalog, page_cache_off, monkeypatch, django_assert_num_queries
):
    url = reverse("catalog:product_detail", args=[catalog.fish.slug])
    first = client.get(url)
    reads = _count_redis_reads(monkeypatch)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert (second.status_code, second.content, reads) == (200, first.content, ["get"])


def test_language_links_resolve_each_path_once_and_keep_the_query(client, catalog, page_cache_off, monkeypatch):
    """The page in the other language: resolved once per path and language, the query string carried along."""
    import django.urls.base  # noqa: PLC0415 - the module whose resolve() translate_url calls

    client.get(LIST_URL, {"q": "mắm", "stars": 4})
    resolved = []
    original = django.urls.base.resolve
    monkeypatch.setattr(django.urls.base, "resolve", lambda *a, **k: resolved.append(a) or original(*a, **k))
    html = client.get(LIST_URL, {"q": "cá", "stars": 3}).text
    assert resolved == []
    assert '<a href="/en/san-pham/?q=c%C3%A1&amp;stars=3" hreflang="en"' in html
    assert '<a href="/san-pham/?q=c%C3%A1&amp;stars=3" hreflang="vi"' in html
    english = client.get("/en/san-pham/", {"stars": 3}).text
    assert '<a href="/san-pham/?stars=3" hreflang="vi"' in english


def test_catalog_filters_share_their_filters_and_fields_but_not_their_errors(catalog):
    """Built once per process (no deep copy per request), and one visitor's bad value never shows in another's."""
    from apps.catalog.filters import CatalogFilter  # noqa: PLC0415 - the class under test

    bad = CatalogFilter({"stars": "9", "year": "12"})
    good = CatalogFilter({"stars": "4", "q": "nước mắm"})
    assert (bad.filters is CatalogFilter.base_filters, bad.get_form_class() is good.get_form_class()) == (True, True)
    assert bad.form.fields["stars"] is good.form.fields["stars"]
    assert (bad.is_valid(), sorted(bad.form.errors), good.is_valid(), good.form.errors) == (
        False,
        ["stars", "year"],
        True,
        {},
    )
    assert list(good.qs.values_list("name", flat=True)) == ["Nước mắm Phú Quốc truyền thống"]


def test_visible_entries_copy_the_days_query_and_never_evaluate_it(catalog):
    from apps.catalog import selectors  # noqa: PLC0415 - the module under test

    today = timezone.localdate()
    first = selectors.visible_entries(today)
    assert len(first) == 4
    hits = selectors._visible_on.cache_info().hits
    certified_product(commune=catalog.fish.producer.commune, name="Mật ong bạc hà", stars=3)
    second = selectors.visible_entries(today)
    assert (selectors._visible_on.cache_info().hits, second is not first, len(second)) == (hits + 1, True, 5)
