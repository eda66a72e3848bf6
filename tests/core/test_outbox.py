"""The transactional outbox: tasks written in the transaction, sent after commit, kept when the broker is down."""

import pytest
from django.db import transaction

from apps.core import outbox
from apps.core.models import OutboxMessage
from tests.faults.conftest import celery_broker, spare_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_enqueue_writes_a_row_and_sends_it_after_commit():
    with transaction.atomic():
        message = outbox.enqueue("certificates.requeue_stuck")
        assert OutboxMessage.objects.get(pk=message.pk).sent_at is None  # nothing sent inside the transaction
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 0


def test_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("certificates.requeue_stuck")
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0


def test_broker_down_keeps_the_row_and_the_sweep_sends_it_later():
    with celery_broker(f"redis://127.0.0.1:{spare_port()}/0"):
        with transaction.atomic():
            message = outbox.enqueue("certificates.requeue_stuck")
        message.refresh_from_db()
        assert message.sent_at is None  # the commit went through; the row waits
        assert message.attempts == 1
        assert "Error" in message.last_error
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=message.created_at.replace(year=2020))
    assert outbox.outbox_flush() == 1
    message.refresh_from_db()
    assert message.sent_at is not None


def test_a_claimed_message_is_not_sent_twice():
    with transaction.atomic():
        message = outbox.enqueue("certificates.requeue_stuck")
    assert outbox.outbox_send(message_ids=[message.pk]) == 0
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=message.created_at.replace(year=2020))
    assert outbox.outbox_flush() == 0
