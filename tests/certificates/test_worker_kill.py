"""A worker killed (SIGKILL) in the middle of a batch: after a restart nothing is missing or duplicated."""

import time

import pytest
import redis
from django.conf import settings as django_settings

from apps.certificates.models import Certificate, DecisionDocument
from apps.certificates.tasks import requeue_stuck_task
from apps.core.enums import RenderState

from .conftest import all_ready, assert_each_rendered_once_and_intact, stored_certificate_files, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


COUNT = 40  # certificates of the killed batch run


def test_worker_killed_mid_batch_finishes_after_restart(issue, worker_factory, settings):
    settings.OCOP_CERTIFICATES_PER_DOCUMENT = 5  # eight tasks, so the kill lands inside a batch with work after it
    first = worker_factory()
    decision, certs = issue(COUNT)
    ids = [c.pk for c in certs]
    rows = Certificate.objects.filter(pk__in=ids)

    def mid_batch():
        states = set(rows.values_list("render_state", flat=True))
        # Rows still pending too: on a quiet machine a batch renders in a fraction of a second, and a kill seen
        # during the last batch could land after it finished (seen once on CI).
        return {RenderState.RENDERING, RenderState.READY, RenderState.PENDING} <= states

    assert wait_until(mid_batch, timeout=60, interval=0.02)
    first.kill()
    states = list(rows.values_list("render_state", flat=True))
    assert RenderState.RENDERING in states  # left behind by the dead worker
    assert states.count(RenderState.READY) < COUNT

    # Redis hands the unacknowledged messages out again after the visibility timeout; the rows the dead
    # worker had claimed become claimable once stale.
    time.sleep(1.5)
    worker_factory(
        {
            "OCOP_CELERY_VISIBILITY_TIMEOUT": "1",
            "OCOP_RENDER_STALE_SECONDS": "1",
            "OCOP_RENDER_LOST_AFTER_SECONDS": "1",
        }
    )

    # A message the dead worker had popped but not yet recorded as unacknowledged is gone for good (kombu's
    # Redis transport does the two in separate steps). Its rows stay pending; the hourly sweep queues them
    # again. Once the restored messages are done (nothing rendering, nothing queued or unacknowledged), send
    # the sweep through the worker as beat would: it queues only pending rows, so nothing is rendered twice.
    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)

    def settled():
        nothing_in_flight = broker.llen("celery") == 0 and broker.hlen("unacked") == 0
        return nothing_in_flight and not rows.filter(render_state=RenderState.RENDERING).exists()

    assert wait_until(lambda: settled() and (time.sleep(0.3) or settled()), timeout=60)
    requeue_stuck_task.delay()

    assert wait_until(lambda: all_ready(ids, COUNT), timeout=60)
    assert_each_rendered_once_and_intact(certs)
    attempts = sorted(rows.values_list("render_attempts", flat=True))
    assert attempts[0] == 1 and attempts[-1] == 2  # once, or twice for those the dead worker had claimed
    assert Certificate.objects.filter(recognition__decision=decision).count() == COUNT
    assert sorted(stored_certificate_files()) == sorted(f"{c.serial}.pdf" for c in certs)
    assert wait_until(
        lambda: DecisionDocument.objects.filter(decision=decision, render_state=RenderState.READY).exists()
    )
