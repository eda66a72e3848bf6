"""Integration with a real Redis broker and real Celery worker processes (never eager mode)."""

import hashlib
import time

import pytest
from django.conf import settings
from django.db import transaction

from apps.certificates.models import Certificate, DecisionDocument
from apps.certificates.services import certificates_enqueue_rendering
from apps.core.enums import RenderState
from apps.core.storage import private_storage

from .conftest import all_ready, assert_each_rendered_once_and_intact, pdf_text, stored_certificate_files, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_renders_decision_with_20_products(issue, worker):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False  # the worker process does the work, not this one
    decision, certs = issue(20)
    ids = [c.pk for c in certs]

    assert wait_until(lambda: all_ready(ids, 20), timeout=60)
    assert_each_rendered_once_and_intact(certs)
    assert certs[0].product.name.startswith("Trà hoa vàng Ba Chẽ loại đặc biệt")  # checked in each PDF above
    assert sorted(c.render_attempts for c in certs) == [1] * 20
    assert len(stored_certificate_files()) == 20

    assert wait_until(
        lambda: DecisionDocument.objects.filter(decision=decision, render_state=RenderState.READY).exists()
    )
    document = DecisionDocument.objects.get(decision=decision)
    data = private_storage.open(document.file.name, "rb").read()
    assert hashlib.sha256(data).hexdigest() == document.checksum
    _pages, text = pdf_text(data)
    assert decision.number in text
    for cert in certs:
        assert cert.serial in text


def test_worker_renders_each_certificate_once_when_enqueued_twice(issue, worker):
    with transaction.atomic():
        decision, certs = issue(20)  # queued once on commit...
        ids = [c.pk for c in certs]
        certificates_enqueue_rendering(certificate_ids=ids)  # ...and the same batch a second time
    # Both messages leave at commit; the worker's two pool processes take them at once.

    assert wait_until(lambda: all_ready(ids, 20), timeout=60)
    time.sleep(1)  # let the duplicate message finish too
    assert_each_rendered_once_and_intact(certs)
    assert sorted(Certificate.objects.filter(pk__in=ids).values_list("render_attempts", flat=True)) == [1] * 20
    assert len(stored_certificate_files()) == 20
