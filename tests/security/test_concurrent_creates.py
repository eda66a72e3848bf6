"""Two identical submissions at the same moment: both succeed with distinct slugs, or the second gets the form's
error when the clash is a tax code (issue 11: a 500 before)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from apps.audit.models import AuditEvent
from apps.producers.enums import ProducerKind
from apps.producers.models import Producer
from apps.producers.services import producer_create
from apps.products.models import Product, ProductSet
from apps.products.services import product_create
from tests.factories.producers import ProducerFactory


def _waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _race(first_create, second_create):
    """Run two creates as two requests at the same moment: the first inserts in an open transaction, the second
    inserts while the first has not committed (it waits on the unique index), then the first commits. Returns
    ``{"first": …, "second": …}``: each one's result, or the exception the second raised."""
    inserted, release, results = threading.Event(), threading.Event(), {}

    def first_request():
        try:
            with transaction.atomic():
                results["first"] = first_create()
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    def second_request():
        try:
            results["second"] = second_create()
        except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
            results["second"] = exc
        finally:
            connection.close()

    first = threading.Thread(target=first_request)
    first.start()
    assert inserted.wait(10)
    second = threading.Thread(target=second_request)
    second.start()
    for _ in range(100):  # the second insert waits on the first one's row in the unique index
        if _waiting_on_a_lock():
            break
        threading.Event().wait(0.05)
    release.set()
    first.join(10)
    second.join(10)
    return results


def _create(users, producer, product_set):
    return product_create(
        by=users.commune_x, producer=producer, name="Chả mực Hạ Long", product_set=product_set, commune=producer.commune
    )


@pytest.mark.django_db(transaction=True)
def test_identical_products_created_at_the_same_moment_get_distinct_slugs(tree, users):
    producer = ProducerFactory(commune=tree.x)
    product_set = ProductSet.objects.get(code="TP08")
    results = _race(lambda: _create(users, producer, product_set), lambda: _create(users, producer, product_set))
    assert isinstance(results["second"], Product), results["second"]
    assert sorted(Product.objects.values_list("slug", flat=True)) == ["cha-muc-ha-long", "cha-muc-ha-long-2"]


def _register(users, tree, name):
    return producer_create(
        by=users.commune_x,
        name=name,
        kind=ProducerKind.ENTERPRISE,
        commune=tree.x,
        address="Thôn 1",
        legal_representative="Nguyễn Văn An",
        tax_code="5700777001",
    )


@pytest.mark.parametrize("second_name", ["Công ty Hạ Long Xanh", "Công ty Hạ Long"])
@pytest.mark.django_db(transaction=True)
def test_two_producers_with_the_same_tax_code_at_the_same_moment_get_a_form_error(tree, users, second_name):
    """Both pass full_clean() (neither sees the other's uncommitted row); the second insert then fails on the unique
    index. That is the tax code's form error, and nothing of the second registration is left (an IntegrityError and a
    500 before). The same name also exercises the slug retry."""
    results = _race(lambda: _register(users, tree, "Công ty Hạ Long"), lambda: _register(users, tree, second_name))
    error = results["second"]
    assert isinstance(error, ValidationError), error
    assert error.message_dict == {"tax_code": ["Chủ thể khác đã dùng mã số thuế này."]}
    assert list(Producer.objects.values_list("name", flat=True)) == ["Công ty Hạ Long"]
    assert AuditEvent.objects.filter(action="producer.create").count() == 1
