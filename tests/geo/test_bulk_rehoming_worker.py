"""Bulk re-homing through a real Redis broker and a real Celery worker process (never eager mode)."""

import pytest
from django.conf import settings
from django.db import transaction

from apps.audit.models import AuditEvent
from apps.certificates.models import Certificate
from apps.producers.enums import RehomingState
from apps.producers.models import BulkRehoming, Producer
from apps.producers.selectors import rehoming_preview
from apps.producers.services import bulk_rehoming_start
from apps.producers.tasks import bulk_rehoming_task
from tests.certificates.conftest import Worker, purge_broker, wait_until
from tests.factories.catalog import certified_product, make_producer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(django_db_setup, transactional_db):
    purge_broker()
    w = Worker().start()
    yield w
    w.kill()
    purge_broker()


def test_a_worker_moves_exactly_the_previewed_set_idempotently_leaving_certificates_unchanged(communes_2025, worker):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    r = communes_2025
    producers = [make_producer(commune=r.dak_koi, name=f"HTX Sâm số {i:02d}") for i in range(12)]
    for producer in producers[:3]:
        certified_product(commune=r.dak_koi, producer=producer, name=f"Sâm của {producer.name}")
    certificates = sorted(Certificate.objects.values_list("pk", "serial", "stars", "valid_from", "valid_until"))
    preview = rehoming_preview(r.kon_tum)
    planned = sorted(m.producer.pk for m in preview.moves)
    assert len(planned) == 13 and r.split_producer.pk not in planned

    with transaction.atomic():
        run = bulk_rehoming_start(unit=r.kon_tum, by=r.province_officer, fingerprint=preview.fingerprint)
        bulk_rehoming_task.delay(run_id=run.pk)  # the same run delivered twice
    assert wait_until(lambda: BulkRehoming.objects.get(pk=run.pk).state == RehomingState.DONE, timeout=60)
    run.refresh_from_db()
    assert sorted(run.moved) == planned and run.skipped == []
    moved = set(Producer.objects.filter(commune=r.new_dak_koi).values_list("pk", flat=True))
    assert moved == set(planned)
    assert Producer.objects.get(pk=r.split_producer.pk).commune_id == r.dak_pne.pk
    assert AuditEvent.objects.filter(action="producer.rehome").count() == 13  # each moved once
    assert sorted(Certificate.objects.values_list("pk", "serial", "stars", "valid_from", "valid_until")) == certificates
    for cert in Certificate.objects.select_related("recognition__decision"):
        assert cert.recognition.decision.issuing_unit_id == r.dak_koi.pk  # decisions keep their units
    assert rehoming_preview(r.kon_tum).moves == []
