"""Writes made inside a Celery task name the task and the user whose action queued it: the outbox message carries the
user, the task's pghistory context and its audit rows say both (issue 11)."""

import pytest
from celery import current_app
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.core.actor import reset_actor, set_actor, task_actor
from apps.core.models import OutboxMessage
from apps.producers.models import BulkRehoming, ProducerEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks(monkeypatch):
    """Tasks run in-process when the outbox sends them (as in the SQLite demo), after the test's commit."""
    monkeypatch.setattr(current_app.conf, "task_always_eager", True)


def test_a_task_queued_by_a_request_writes_history_and_audit_rows_naming_the_task_and_its_user(
    client, old_commune_producers, eager_tasks, django_capture_on_commit_callbacks
):
    r = old_commune_producers
    client.force_login(r.province_officer)
    url = reverse("producers:bulk_rehoming")
    fingerprint = client.get(url, {"unit": r.kon_tum.pk}).context["preview"].fingerprint
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"unit": r.kon_tum.pk, "fingerprint": fingerprint})
    run = BulkRehoming.objects.get()
    assert response.status_code == 302
    assert len(run.moved) == 2  # the task ran

    message = OutboxMessage.objects.get(task_name="producers.bulk_rehoming")
    assert (message.caused_by_id, message.sent_at is not None) == (r.province_officer.pk, True)

    moves = ProducerEvent.objects.filter(pgh_obj_id__in=run.moved, pgh_label="update").select_related("pgh_context")
    assert sorted(e.pgh_obj_id for e in moves) == sorted(run.moved)
    for event in moves:
        metadata = event.pgh_context.metadata
        assert (metadata["task"], metadata["user"]) == ("producers.bulk_rehoming", r.province_officer.pk)
        assert metadata["task_id"]
        assert "url" not in metadata  # not the request's context: the task's own

    in_task = AuditEvent.objects.filter(action__in=["producer.rehome", "producer.bulk_rehome_done"])
    assert sorted(set(in_task.values_list("action", "task", "actor_id"))) == [
        ("producer.bulk_rehome_done", "producers.bulk_rehoming", r.province_officer.pk),
        ("producer.rehome", "producers.bulk_rehoming", r.province_officer.pk),
    ]
    assert in_task.count() == 3
    # The row the request itself wrote names no task.
    assert AuditEvent.objects.get(action="producer.bulk_rehome_start").task == ""


def test_an_audit_row_written_in_a_task_without_an_actor_is_the_causing_users(users):
    token = set_actor(task_actor(task="certificates.render_certificates", user_id=users.province.pk))
    try:
        event = audit_record(action="certificate.rendered", obj=users.commune_x, by=None)
    finally:
        reset_actor(token)
    assert (event.actor_id, event.task) == (users.province.pk, "certificates.render_certificates")
    # Outside a task, no actor stays no actor.
    assert audit_record(action="certificate.rendered", obj=users.commune_x, by=None).actor_id is None
