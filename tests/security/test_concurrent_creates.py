"""Two identical submissions at the same moment: both succeed with distinct slugs (issue 11: a 500 before)."""

import threading

import pytest
from django.db import connection, transaction

from apps.products.models import Product, ProductSet
from apps.products.services import product_create
from tests.factories.cycles import ProducerFactory


def _waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _create(users, producer, product_set):
    return product_create(
        by=users.commune_x, producer=producer, name="Chả mực Hạ Long", product_set=product_set, commune=producer.commune
    )


@pytest.mark.django_db(transaction=True)
def test_identical_products_created_at_the_same_moment_get_distinct_slugs(tree, users):
    producer = ProducerFactory(commune=tree.x)
    product_set = ProductSet.objects.get(code="TP08")
    inserted, release, results = threading.Event(), threading.Event(), {}

    def first_request():
        # The first click: its row is inserted but not yet committed when the second click inserts.
        try:
            with transaction.atomic():
                results["first"] = _create(users, producer, product_set)
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    def second_request():
        try:
            results["second"] = _create(users, producer, product_set)
        except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
            results["second"] = exc
        finally:
            connection.close()

    first = threading.Thread(target=first_request)
    first.start()
    assert inserted.wait(10)
    second = threading.Thread(target=second_request)
    second.start()
    for _ in range(100):  # the second insert waits on the first one's slug in the unique index
        if _waiting_on_a_lock():
            break
        threading.Event().wait(0.05)
    release.set()
    first.join(10)
    second.join(10)
    assert isinstance(results["second"], Product), results["second"]
    assert sorted(Product.objects.values_list("slug", flat=True)) == ["cha-muc-ha-long", "cha-muc-ha-long-2"]
