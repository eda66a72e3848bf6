"""Issuing certificates, claiming rows for rendering, revocation, expiry and reminders."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.accounts.enums import Role
from apps.audit.models import AuditEvent
from apps.certificates import services, tasks
from apps.certificates.enums import CertificateStatus
from apps.certificates.models import Certificate, DecisionDocument
from apps.core.enums import RenderState
from tests.factories import UserFactory
from tests.factories.certificates import decision_with_products

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_create_for_decision_numbers_serials_per_province_and_year(issue, tree):
    _decision, certs = issue(3)
    _other, more = issue(2, issuing_unit=tree.d)  # a district of the same province continues the sequence
    assert [c.serial for c in certs + more] == [f"OCOP-22-2026-0000{n}" for n in range(1, 6)]
    assert {c.valid_until for c in certs} == {datetime.date(2029, 3, 15)}
    assert len({c.token for c in certs + more}) == 5
    assert all(len(c.token) == 12 for c in certs)


def test_serials_continue_from_the_highest_number_counted_by_the_database(issue):
    """The next serial follows the year's highest number, compared as a number (100000 after 99999), and the
    allocation asks the database for that maximum instead of reading every serial of the province's year."""
    _decision, certs = issue(2)
    Certificate.objects.filter(pk=certs[0].pk).update(serial="OCOP-22-2026-99999")
    Certificate.objects.filter(pk=certs[1].pk).update(serial="OCOP-22-2026-00100")
    with CaptureQueriesContext(connection) as queries:
        _other, more = issue(1)
    assert [c.serial for c in more] == ["OCOP-22-2026-100000"]
    on_serials = [q["sql"] for q in queries if '"serial"::text LIKE' in q["sql"] and "SELECT" in q["sql"]]
    assert on_serials and all("MAX(" in sql for sql in on_serials)


def test_create_for_decision_twice_creates_nothing_new(issue):
    decision, certs = issue(2)
    again = services.certificates_create_for_decision(decision=decision)
    assert [c.pk for c in again] == [c.pk for c in certs]
    assert Certificate.objects.count() == 2
    assert DecisionDocument.objects.filter(decision=decision).count() == 1


def test_create_for_decision_enqueues_after_commit(tree, django_capture_on_commit_callbacks, settings):
    settings.OCOP_CERTIFICATES_PER_DOCUMENT = 2
    decision = decision_with_products(issuing_unit=tree.p, commune=tree.x, count=5)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.certificates_create_for_decision(decision=decision)
    # Three certificate batches (2 + 2 + 1), the decision document, and one bump of the catalogue's cache version.
    assert len(callbacks) == 5


def test_upgrade_supersedes_the_previous_certificate(issue, tree):
    _d1, (old,) = issue(1, stars=3)
    _d2, (new,) = issue(1, stars=4, date=datetime.date(2027, 5, 1), products=[old.product])
    old.refresh_from_db()
    assert old.superseded_by == new
    assert old.status() == CertificateStatus.SUPERSEDED
    assert list(Certificate.objects.filter(product=old.product).currently_valid(datetime.date(2027, 6, 1))) == [new]
    assert AuditEvent.objects.filter(action="certificate.supersede", object_id=str(old.pk)).count() == 1


def test_render_claims_each_row_once(issue):
    _decision, certs = issue(3)
    ids = [c.pk for c in certs]
    assert services.certificates_render(certificate_ids=ids) == 3
    assert services.certificates_render(certificate_ids=ids) == 0
    rows = Certificate.objects.filter(pk__in=ids).order_by("pk")
    assert [(r.render_state, r.render_attempts) for r in rows] == [(RenderState.READY, 1)] * 3
    pages, text = pdf_text(rows[0].file.open("rb").read())
    assert pages == 1
    assert rows[0].serial in text and "Trà hoa vàng Ba Chẽ" in text


def test_render_leaves_a_row_another_worker_is_rendering(issue):
    _decision, (cert,) = issue(1)
    Certificate.objects.filter(pk=cert.pk).update(render_state=RenderState.RENDERING, render_started_at=timezone.now())
    assert services.certificates_render(certificate_ids=[cert.pk]) == 0
    cert.refresh_from_db()
    assert (cert.render_state, cert.render_attempts) == (RenderState.RENDERING, 0)


def test_render_reclaims_a_stale_row_of_a_dead_worker(issue):
    _decision, (cert,) = issue(1)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.OCOP_RENDER_STALE_SECONDS + 5)
    Certificate.objects.filter(pk=cert.pk).update(
        render_state=RenderState.RENDERING, render_started_at=long_ago, render_attempts=1
    )
    assert services.certificates_render(certificate_ids=[cert.pk]) == 1
    cert.refresh_from_db()
    assert (cert.render_state, cert.render_attempts) == (RenderState.READY, 2)


def test_render_permanent_failure_marks_failed_with_the_error(issue):
    _decision, (cert,) = issue(1)
    # A directory squats the file's name: the storage cannot replace it, and retrying will not help.
    squatter = Path(settings.PRIVATE_STORAGE_ROOT) / services.certificate_file_name(cert) / "x"
    squatter.mkdir(parents=True, exist_ok=True)
    try:
        assert services.certificates_render(certificate_ids=[cert.pk]) == 0
    finally:
        os.rmdir(squatter)
        os.rmdir(squatter.parent)
    cert.refresh_from_db()
    assert cert.render_state == RenderState.FAILED
    assert cert.render_error.startswith("OSError: ")
    assert cert.render_claim is None


def test_render_retry_only_from_failed(issue, users, django_capture_on_commit_callbacks):
    _decision, (cert,) = issue(1)
    with pytest.raises(ValidationError):
        services.certificate_render_retry(certificate=cert, by=users.province)
    Certificate.objects.filter(pk=cert.pk).update(
        render_state=RenderState.FAILED, render_error="boom", render_attempts=5
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.certificate_render_retry(certificate=cert, by=users.province)
    cert.refresh_from_db()
    assert (cert.render_state, cert.render_error, cert.render_attempts) == (RenderState.PENDING, "", 0)
    assert len(callbacks) == 1


def test_decision_document_lists_every_product(issue):
    decision, certs = issue(3)
    assert services.decision_document_render(document_id=decision.document.pk) is True
    decision.document.refresh_from_db()
    _pages, text = pdf_text(decision.document.file.open("rb").read())
    assert decision.number in text
    assert "QUYẾT ĐỊNH" in text
    for cert in certs:
        assert cert.serial in text


def test_revoke_requires_a_reason_and_records_it(issue, users):
    _decision, (cert,) = issue(1)
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=cert, reason="   ", by=users.province)
    cert.refresh_from_db()
    assert cert.revoked_at is None
    services.certificate_revoke(certificate=cert, reason="Không đánh giá lại đúng hạn", by=users.province)
    cert.refresh_from_db()
    assert cert.status() == CertificateStatus.REVOKED
    assert (cert.revocation_reason, cert.revoked_by) == ("Không đánh giá lại đúng hạn", users.province)
    assert AuditEvent.objects.filter(action="certificate.revoke", object_id=str(cert.pk)).count() == 1
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=cert, reason="Lần nữa", by=users.province)


@pytest.mark.parametrize("days_ago", [-1, 101])
def test_revoke_dated_in_the_future_or_before_the_certificate_is_refused(issue, users, days_ago):
    _decision, (cert,) = issue(1, date=timezone.localdate() - datetime.timedelta(days=100))
    at = timezone.now() - datetime.timedelta(days=days_ago)
    with pytest.raises(ValidationError) as exc:
        services.certificate_revoke(certificate=cert, reason="Vi phạm", by=users.province, at=at)
    assert ("ở tương lai" if days_ago < 0 else "trước bước liền trước nó") in exc.value.messages[0]
    cert.refresh_from_db()
    assert (cert.revoked_at, cert.revocation_reason) == (None, "")
    assert not AuditEvent.objects.filter(action="certificate.revoke").exists()


def test_a_replayed_revocation_is_dated_through_the_service(issue, users):
    _decision, (cert,) = issue(1, date=timezone.localdate() - datetime.timedelta(days=100))
    at = timezone.now() - datetime.timedelta(days=40)
    services.certificate_revoke(certificate=cert, reason="Không duy trì chất lượng", by=users.province, at=at)
    cert.refresh_from_db()
    assert (cert.revoked_at, cert.status()) == (at, CertificateStatus.REVOKED)
    audit = AuditEvent.objects.get(action="certificate.revoke", object_id=str(cert.pk))
    assert audit.after == {"revoked_at": at.isoformat()}


def test_revoke_refused_outside_jurisdiction(issue, users):
    _decision, (cert,) = issue(1)
    with pytest.raises(Exception) as exc:
        services.certificate_revoke(certificate=cert, reason="Sai phạm", by=users.province_q)
    assert exc.type.__name__ == "PermissionDenied"
    cert.refresh_from_db()
    assert cert.revoked_at is None


def test_mark_expired_stamps_only_lapsed_certificates(issue):
    _decision, (cert,) = issue(1)
    assert services.certificates_mark_expired(today=datetime.date(2029, 3, 15)) == 0
    assert services.certificates_mark_expired(today=datetime.date(2029, 3, 16)) == 1
    assert services.certificates_mark_expired(today=datetime.date(2029, 3, 17)) == 0
    cert.refresh_from_db()
    assert cert.expired_at is not None
    assert cert.status(datetime.date(2029, 3, 16)) == CertificateStatus.EXPIRED


def test_expiry_reminder_is_sent_once(issue, tree, users, settings):
    _decision, (cert,) = issue(1, date=timezone.localdate() - datetime.timedelta(days=36 * 30))
    producer = cert.product.producer
    producer.email = "htx@example.vn"
    producer.save(update_fields=["email"])
    producer.accounts.add(users.producer)
    office = UserFactory(role=Role.PROVINCE_OFFICER, unit=tree.p, email="vanphong.ocop@quangninh.example")
    assert cert.valid_until - timezone.localdate() <= datetime.timedelta(days=30)

    tasks.send_expiry_reminders_task.apply()
    tasks.send_expiry_reminders_task.apply()  # the daily job runs again: nothing new is sent

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["chuthe@ocop.example", "htx@example.vn"]
    assert sorted(message.cc) == sorted([office.email, users.province.email])
    assert cert.serial in message.subject
    assert cert.product.name in message.body
    cert.refresh_from_db()
    assert cert.reminder_sent_at is not None


def test_expiry_reminder_skips_certificates_far_from_expiry_and_revoked(issue, users):
    _d, (_far,) = issue(1)
    _d2, (revoked,) = issue(1, date=timezone.localdate() - datetime.timedelta(days=36 * 30))
    services.certificate_revoke(certificate=revoked, reason="Vi phạm", by=users.province)
    assert services.certificates_send_expiry_reminders() == 0
    assert mail.outbox == []


@pytest.mark.migration_data
def test_daily_schedules_exist_in_the_beat_database():
    on_crontab = PeriodicTask.objects.select_related("crontab").filter(crontab__isnull=False)  # not interval ones
    schedules = {t.task: (t.crontab.hour, t.crontab.minute) for t in on_crontab}
    assert schedules["certificates.mark_expired"] == ("0", "30")
    assert schedules["certificates.send_expiry_reminders"] == ("7", "0")
    assert schedules["certificates.requeue_stuck"] == ("*", "*")
    assert schedules["core.outbox_flush"] == ("*", "*")


def test_requeue_stuck_finds_lost_and_stale_rows_only(issue, django_capture_on_commit_callbacks):
    _d, (_fresh, lost, stale, ready) = issue(4)
    now = timezone.now()
    Certificate.objects.filter(pk=lost.pk).update(created_at=now - datetime.timedelta(hours=1))
    Certificate.objects.filter(pk=stale.pk).update(
        render_state=RenderState.RENDERING,
        render_started_at=now - datetime.timedelta(seconds=settings.OCOP_RENDER_STALE_SECONDS + 5),
    )
    Certificate.objects.filter(pk=ready.pk).update(created_at=now - datetime.timedelta(hours=1))
    services.certificates_render(certificate_ids=[ready.pk])
    DecisionDocument.objects.update(created_at=now)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.documents_requeue_stuck() == 2
    assert len(callbacks) == 1  # one batch: the lost row and the stale one
