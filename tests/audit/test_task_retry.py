"""The user whose action queued a task is still the actor of what the task writes after Celery retries it, through a
real worker (issue 11): Celery's ``retry()`` re-sends the message, and the outbox's header must travel with it.
(Celery 5.7 copies the request's headers into the retry, so nothing in the portal has to; this test fails if a
Celery upgrade or a custom retry loses it — checked by dropping the header on retries in ``caused_by``.)

The first run fails on a real condition: the certificate rows are locked by another transaction (held by this test)
and the worker's connections give up on a lock after 1 s (``lock_timeout``, through libpq's PGOPTIONS), which is
an OperationalError — a transient error the render task retries. The lock released, the retry renders the row.
"""

import os
import tempfile
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils.functional import empty

from apps.certificates.models import Certificate, CertificateEvent
from apps.certificates.services import RENDER_CERTIFICATES_TASK, certificates_create_for_decision
from apps.core.actor import Actor, reset_actor, set_actor
from apps.core.enums import RenderState
from apps.core.models import OutboxMessage
from apps.core.storage import private_storage
from tests.factories.certificates import decision_with_products
from tests.worker import Worker, purge_broker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

WAITING_ON_A_LOCK = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


@pytest.fixture
def storage(tmp_path):
    with override_settings(PRIVATE_STORAGE_ROOT=str(tmp_path)):
        private_storage._wrapped = empty
        yield tmp_path
    private_storage._wrapped = empty


@pytest.fixture
def broker():
    purge_broker()
    yield
    purge_broker()


def _locker():
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or "postgres",
        dbname=db["NAME"],
    )


def _waiting():
    with connection.cursor() as cursor:
        cursor.execute(WAITING_ON_A_LOCK)
        return cursor.fetchone()[0]


def test_a_retried_task_still_writes_as_the_user_who_caused_it(tree, users, storage, broker):
    # Queued by the province officer's action; no worker yet, so the messages wait in the broker.
    token = set_actor(Actor(user=lambda: users.province.pk))
    try:
        decision = decision_with_products(issuing_unit=tree.p, commune=tree.x, count=1)
        (cert,) = certificates_create_for_decision(decision=decision)
    finally:
        reset_actor(token)
    message = OutboxMessage.objects.get(task_name=RENDER_CERTIFICATES_TASK)
    assert (message.caused_by_id, message.sent_at is not None) == (users.province.pk, True)

    locker = _locker()
    locker.cursor().execute("SELECT id FROM certificates_certificate WHERE id = %s FOR UPDATE", [cert.pk])
    worker = Worker({"PGOPTIONS": "-c lock_timeout=1000"})
    log_path = Path(tempfile.gettempdir()) / f"ocop-certificates-worker-{os.getpid()}.log"
    log_start = log_path.stat().st_size if log_path.exists() else 0
    worker.start()
    try:
        # The first run waits for the lock, then gives up (the lock is still held): it failed, Celery retries.
        assert wait_until(lambda: _waiting() > 0, timeout=60)
        assert wait_until(lambda: _waiting() == 0, timeout=10)
        assert Certificate.objects.get(pk=cert.pk).render_state == RenderState.PENDING
        locker.rollback()
        assert wait_until(
            lambda: Certificate.objects.filter(pk=cert.pk, render_state=RenderState.READY).exists(), timeout=60
        )
    finally:
        locker.close()
        worker.kill()
    with open(worker.log.name, encoding="utf-8", errors="replace") as f:
        f.seek(log_start)
        assert "Retry in" in f.read()  # Celery's own line: the task was retried, not run twice by chance

    # Every event the retried run wrote names the task and the province officer.
    events = CertificateEvent.objects.filter(pgh_obj_id=cert.pk, pgh_label="update").select_related("pgh_context")
    assert events.filter(render_state=RenderState.READY).exists()  # the retry's store
    for event in events:
        metadata = event.pgh_context.metadata
        assert (metadata["task"], metadata.get("user")) == (RENDER_CERTIFICATES_TASK, users.province.pk)
