"""Lower apps tell the catalogue about changes through their own signals, never by importing it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.catalog.cache import catalog_version
from apps.catalog.models import CatalogEntry
from apps.catalog.selectors import visible_entries
from apps.certificates.models import Certificate
from apps.certificates.services import certificates_create_for_decision
from apps.products.services import photo_add
from apps.products.signals import product_photos_changed
from tests.factories.catalog import certified_product, make_producer, make_product
from tests.factories.certificates import decision_with_products
from tests.factories.producers import png_upload

pytestmark = pytest.mark.django_db


def test_photo_add_sends_product_photos_changed_once_committed(tree, users, django_capture_on_commit_callbacks):
    product = make_product(commune=tree.x)
    sent = []

    def receiver(sender, product_id, **kwargs):
        sent.append(product_id)

    product_photos_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            photo_add(product=product, by=users.admin, image=png_upload(size=(800, 600)))
        assert sent == []
        for callback in callbacks:
            callback()
    finally:
        product_photos_changed.disconnect(receiver)
    assert sent == [product.pk]


def test_photo_add_on_a_listed_product_bumps_the_catalogue_version(tree, users, django_capture_on_commit_callbacks):
    product = certified_product(commune=tree.x)
    before = catalog_version()
    with django_capture_on_commit_callbacks(execute=True):
        photo_add(product=product, by=users.admin, image=png_upload(size=(800, 600)))
    assert catalog_version() != before


def test_import_units_rebuilds_the_catalogue_through_units_imported(tree):
    certified_product(commune=tree.x)
    out = io.StringIO()
    call_command("import_units", edition="2025", provinces=["01"], stdout=out)
    assert "catalogue rebuilt: 1 entries" in out.getvalue().splitlines()


def _issue_counting_queries(tree, count, **kwargs):
    decision = decision_with_products(issuing_unit=tree.p, commune=tree.x, count=count, **kwargs)
    with CaptureQueriesContext(connection) as queries:
        certificates = certificates_create_for_decision(decision=decision)
    entry_queries = [q["sql"] for q in queries if '"catalog_catalogentry"' in q["sql"]]
    return certificates, len(queries), entry_queries


def test_a_decision_refreshes_the_catalogue_once_for_all_its_products(tree):
    small, small_queries, small_entry_queries = _issue_counting_queries(tree, 2)
    large, large_queries, large_entry_queries = _issue_counting_queries(tree, 12)
    # Issuing and listing twelve products costs what two cost: no query per certificate or per entry.
    assert large_queries == small_queries
    assert len(large_entry_queries) == len(small_entry_queries) == 1
    listed = set(visible_entries().values_list("product_id", flat=True))
    assert listed == {cert.product_id for cert in small + large}
    assert set(CatalogEntry.objects.values_list("certificate_id", flat=True)) == {c.pk for c in small + large}


def test_an_upgrade_decision_lists_the_new_certificates_in_its_transaction(tree):
    old, _queries, _entry_queries = _issue_counting_queries(tree, 3, stars=3)
    products = [cert.product for cert in old]
    upgraded, _queries, _entry_queries = _issue_counting_queries(
        tree, 3, stars=4, date=datetime.date(2026, 6, 1), products=products
    )
    entries = CatalogEntry.objects.filter(product__in=products).order_by("product_id")
    assert [(e.certificate_id, e.stars) for e in entries] == [(c.pk, 4) for c in upgraded]
    assert Certificate.objects.filter(pk__in=[c.pk for c in old], superseded_by__isnull=True).count() == 0


def _rename_counting_queries(tree, count):
    producer = make_producer(commune=tree.x)
    products = [certified_product(commune=tree.x, producer=producer) for _ in range(count)]
    producer.name = f"Hợp tác xã Đổi Tên {count}"
    with CaptureQueriesContext(connection) as queries:
        producer.save()
    return products, producer, len(queries)


def test_renaming_a_producer_refreshes_all_its_listed_products_in_a_fixed_number_of_queries(tree):
    _few, _producer, few_queries = _rename_counting_queries(tree, 2)
    many, _producer, many_queries = _rename_counting_queries(tree, 7)
    assert many_queries == few_queries
    texts = CatalogEntry.objects.filter(product__in=many).values_list("search_text", flat=True)
    assert len(texts) == 7 and all("doi ten 7" in text for text in texts)
