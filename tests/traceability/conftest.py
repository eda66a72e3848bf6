"""Fixtures for traceability: a certified product of commune X with its producer account, a lot, a batch."""

import datetime

import pytest
from django.utils import timezone
from django.utils.functional import empty

from apps.certificates.services import certificates_create_for_decision
from apps.core.storage import private_storage
from apps.traceability import services
from apps.traceability.enums import BatchState
from apps.traceability.models import Lot, ProductionSite, StampBatch
from tests.certificates.conftest import worker_factory  # noqa: F401  (a real Celery worker, for test_worker_kill)
from tests.factories.certificates import decision_with_products


@pytest.fixture(autouse=True)
def own_private_storage(tmp_path, settings):
    """Each test gets its own private root: batch files are named after row ids, which repeat across tests.

    Set through pytest-django's ``settings`` (not a nested ``override_settings``): a test that changes ``settings``
    too would otherwise restore, after this fixture's exit, a copy that still holds this root (seen on CI: the root
    of one test leaked into every later test of that worker).
    """
    settings.PRIVATE_STORAGE_ROOT = str(tmp_path / "private")
    private_storage._wrapped = empty
    yield tmp_path / "private"
    private_storage._wrapped = empty


@pytest.fixture
def world(tree, users):
    """Product P of commune X with a valid 4★ certificate; the producer account owns it; a lot with a site."""
    decision = decision_with_products(issuing_unit=tree.p, commune=tree.x, count=1, date=timezone.localdate())
    certificate = certificates_create_for_decision(decision=decision)[0]
    product = certificate.product
    product.producer.accounts.add(users.producer)
    other = decision_with_products(issuing_unit=tree.q, commune=tree.z, count=1, date=timezone.localdate())
    other_product = certificates_create_for_decision(decision=other)[0].product
    site = ProductionSite.objects.create(
        producer=product.producer,
        name="Đồi chè Khe Lạc",
        commune=tree.x,
        address="Thôn Khe Lạc",
        latitude="21.45",
        longitude="107.75",
        area_m2=20000,
    )
    site.products.add(product)
    lot = Lot.objects.create(
        product=product,
        code="L2026-001",
        produced_on=timezone.localdate() - datetime.timedelta(days=10),
        expires_on=timezone.localdate() + datetime.timedelta(days=300),
        quantity=500,
        unit="hộp",
        inputs="Chè búp tươi — đồi Khe Lạc",
    )
    lot.sites.add(site)
    return type(
        "World",
        (),
        {"certificate": certificate, "product": product, "lot": lot, "site": site, "other_product": other_product},
    )


def make_batch(world, users, quantity=10, *, state=BatchState.REQUESTED, lot=True):
    batch = services.stamp_batch_request(
        by=users.producer, product=world.product, lot=world.lot if lot else None, quantity=quantity
    )
    if state != BatchState.REQUESTED:
        files = {"sheet_pdf": "x.pdf", "codes_csv": "x.csv"} if state == BatchState.READY else {}
        StampBatch.objects.filter(pk=batch.pk).update(state=state, **files)
        batch.refresh_from_db()
    return batch


@pytest.fixture
def ready_batch(world, users, settings):
    """A generated batch of 10 stamps (the generation service run in-process)."""
    batch = make_batch(world, users, 10, state=BatchState.APPROVED)
    assert services.stamp_batch_generate(batch_id=batch.pk) == "ready"
    batch.refresh_from_db()
    return batch
