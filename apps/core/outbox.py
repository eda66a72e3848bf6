"""Send Celery tasks through the transactional outbox (:class:`~apps.core.models.OutboxMessage`).

``enqueue("certificates.render_certificates", certificate_ids=[1, 2])`` inside a service writes a row in the
service's transaction and sends it once that transaction commits. A broker that is down never breaks the request:
the row waits and :func:`outbox_flush` (every minute, from beat) sends it when the broker is back. Services name
tasks by their ``name=``, so no service imports a tasks module.

The row also keeps the user whose action queued the task (:mod:`apps.core.actor`); it travels to the worker in the
message header :data:`CAUSED_BY_HEADER`, and the task's writes are recorded as that user's
(``apps.audit.task_context``).
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .actor import current_user_id
from .models import OutboxMessage

logger = logging.getLogger(__name__)

# The sweep leaves rows this young to the on-commit sender of their own request.
FLUSH_GRACE_SECONDS = 5
FLUSH_BATCH = 500
CAUSED_BY_HEADER = "ocop_caused_by"


def enqueue(task_name: str, **kwargs) -> OutboxMessage:
    """Write the task to the outbox now; send it after the current transaction commits."""
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs, caused_by_id=current_user_id())
    transaction.on_commit(lambda: outbox_send(message_ids=[message.pk]))
    return message


def _task(task_name):
    current_app.loader.import_default_modules()
    return current_app.tasks[task_name]


def outbox_send(*, message_ids) -> int:
    """Send the unsent messages among ``message_ids``; never raises. Returns how many went to the broker."""
    sent = 0
    for message in OutboxMessage.objects.filter(pk__in=message_ids, sent_at__isnull=True).order_by("pk"):
        # Claim first: of two senders (the request and the sweep), only one sends.
        claimed = OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(sent_at=timezone.now())
        if not claimed:
            continue
        headers = {CAUSED_BY_HEADER: message.caused_by_id}
        try:
            if current_app.conf.task_always_eager:
                # No broker (the SQLite demo): run the task here, as ``.delay()`` would.
                _task(message.task_name).apply(kwargs=message.kwargs, headers=headers, throw=True)
            else:
                current_app.send_task(message.task_name, kwargs=message.kwargs, headers=headers)
        except Exception as exc:  # the broker (or an eager task) failed: keep the row for the sweep
            logger.warning("Outbox message %s (%s) not sent: %s", message.pk, message.task_name, exc)
            OutboxMessage.objects.filter(pk=message.pk).update(
                sent_at=None, attempts=message.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            if current_app.conf.task_always_eager and current_app.conf.task_eager_propagates:
                raise
            continue
        sent += 1
    return sent


def outbox_flush() -> int:
    """Send every message still waiting (the broker was down at commit time). Returns how many were sent."""
    due = timezone.now() - timedelta(seconds=FLUSH_GRACE_SECONDS)
    ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lt=due)
        .order_by("pk")
        .values_list("pk", flat=True)[:FLUSH_BATCH]
    )
    return outbox_send(message_ids=ids) if ids else 0


def outbox_purge(*, older_than_days: int = 30) -> int:
    """Delete sent messages older than ``older_than_days`` (the daily clean-up). Returns how many."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
