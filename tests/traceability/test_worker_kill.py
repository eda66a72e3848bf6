"""A real Celery worker generating a batch is killed (SIGKILL) mid-way; after a restart and the sweep the batch
is finished with exactly N stamps and one PDF of the right length."""

import io
import time

import pytest
from pypdf import PdfReader

from apps.core.storage import private_storage
from apps.traceability.enums import BatchState
from apps.traceability.models import StampBatch
from apps.traceability.services import stamp_batch_transition
from apps.traceability.tasks import requeue_stuck_task
from tests.certificates.conftest import wait_until

from .conftest import make_batch

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PARTS = {"OCOP_STAMP_LABELS_PER_PART": "130", "OCOP_STAMP_TASK_BUDGET_SECONDS": "600"}
PARTS = 30  # a part takes well under a second now: enough of them that the kill lands mid-batch
QUANTITY = 130 * PARTS


def test_killed_worker_batch_is_finished_after_restart(world, users, worker_factory, settings):
    first = worker_factory(SMALL_PARTS)
    batch = make_batch(world, users, QUANTITY)
    stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=users.province)  # queued after commit
    row = StampBatch.objects.filter(pk=batch.pk)
    assert wait_until(lambda: row.filter(state=BatchState.GENERATING, parts_done__gte=1).exists(), timeout=120)
    first.kill()
    batch.refresh_from_db()
    assert batch.state == BatchState.GENERATING and batch.parts_done < PARTS  # left behind by the dead worker

    settings.OCOP_STAMP_STALE_SECONDS = 1
    worker_factory({**SMALL_PARTS, "OCOP_STAMP_STALE_SECONDS": "1", "OCOP_CELERY_VISIBILITY_TIMEOUT": "3600"})
    # The hourly sweep, sent through the worker as beat would.
    time.sleep(1.5)  # the dead worker's heartbeat is now stale
    requeue_stuck_task.delay()
    assert wait_until(lambda: row.filter(state=BatchState.READY).exists(), timeout=180)
    batch.refresh_from_db()
    assert batch.stamps.count() == QUANTITY
    assert sorted(batch.stamps.values_list("serial", flat=True)) == list(range(1, QUANTITY + 1))
    assert batch.attempts == 2
    pdf = PdfReader(io.BytesIO(private_storage.open(batch.sheet_pdf.name, "rb").read()))
    assert len(pdf.pages) == QUANTITY // 65
    assert private_storage.listdir(f"traceability/batches/{batch.pk}/parts")[1] == []
