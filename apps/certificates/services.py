"""Every write to certificates and decision documents.

The councils issue calls :func:`certificates_create_for_decision` after recording a decision; rendering is
queued after commit and done by Celery tasks (``tasks.py``) that call :func:`certificates_render` and
:func:`decision_document_render`.
"""

import datetime
import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import IntegerField, Max, Q
from django.db.models.functions import Cast, Substr
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.core.enums import RenderState
from apps.core.mail import sanitise_subject
from apps.core.moments import moment
from apps.core.outbox import enqueue
from apps.core.rendering import (
    TRANSIENT_ERRORS,
    render_claim,
    render_fail,
    render_retry,
    render_store,
    render_stuck,
)
from apps.cycles.enums import ApplicationState
from apps.geo.models import AdministrativeUnit

from . import rendering
from .models import Certificate, DecisionDocument, replacement_kind
from .signals import certificates_issued

if TYPE_CHECKING:
    from apps.evaluation.models import RecognitionDecision

# The two rendered kinds share the claim/store/fail columns.
Rendered = type[Certificate] | type[DecisionDocument]

logger = logging.getLogger(__name__)

# Task names (``tasks.py`` registers them): services queue work by name through the outbox.
RENDER_CERTIFICATES_TASK = "certificates.render_certificates"
RENDER_DECISION_DOCUMENT_TASK = "certificates.render_decision_document"

VALIDITY_MONTHS = 36
REMINDER_DAYS = 30


def new_token() -> str:
    """12 URL-safe characters (72 random bits): unguessable, and short enough for a small QR code."""
    return secrets.token_urlsafe(9)


@transaction.atomic
def certificates_create_for_decision(*, decision: "RecognitionDecision") -> list[Certificate]:
    """Create one certificate row per recognised product of ``decision`` (idempotent). Returns them.

    An earlier certificate of the same product is superseded by the new one (upgrade or re-evaluation).
    Rendering of the certificates and of the decision document is queued once the transaction commits.
    """
    province = decision.issuing_unit.province_code
    prefix = f"OCOP-{province}-{decision.date.year}-"
    # Serialise serial allocation per province (lock its unit row), even while no serial of this year exists.
    list(AdministrativeUnit.objects.select_for_update().filter(path=decision.issuing_unit.province_path))
    # The highest sequence number of the year's serials, counted by the database (numerically: 100000 after 99999).
    highest = Certificate.objects.filter(serial__startswith=prefix).aggregate(
        n=Max(Cast(Substr("serial", len(prefix) + 1), IntegerField()))
    )["n"]
    next_seq = (highest or 0) + 1
    now = timezone.now()
    # Only an application the state machine recognised gets a certificate (an item without an application is an
    # imported decision of an earlier programme).
    items = list(
        decision.items.filter(Q(application__isnull=True) | Q(application__state=ApplicationState.RECOGNISED))
        .select_related("product")
        .order_by("pk")
    )
    existing = {cert.recognition_id: cert for cert in Certificate.objects.filter(recognition__in=items)}
    new = []
    for item in items:
        if item.pk not in existing:
            new.append(
                Certificate(
                    recognition=item,
                    product=item.product,
                    serial=f"{prefix}{next_seq:05d}",
                    token=new_token(),
                    stars=item.stars,
                    valid_from=decision.date,
                    valid_until=decision.date + relativedelta(months=VALIDITY_MONTHS),
                )
            )
            next_seq += 1
    # In bulk, without post_save per row: ``certificates_issued`` below tells the apps above about all of them.
    Certificate.objects.bulk_create(new)
    _supersede_older(new, valid_from=decision.date, now=now)
    created = {cert.recognition_id: cert for cert in new}
    certificates = [existing.get(item.pk) or created[item.pk] for item in items]
    if new:
        certificates_issued.send(sender=Certificate, product_ids=sorted({cert.product_id for cert in new}))
    document, _created = DecisionDocument.objects.get_or_create(decision=decision)
    certificates_enqueue_rendering(certificate_ids=[cert.pk for cert in new])
    if document.render_state == RenderState.PENDING:
        decision_document_enqueue_rendering(document_id=document.pk)
    return certificates


def _supersede_older(new: list[Certificate], *, valid_from: datetime.date, now: datetime.datetime) -> None:
    """The earlier certificates of the products that got one of the ``new`` ones (valid from ``valid_from``) are
    superseded by it (a decision names a product once)."""
    by_product = {cert.product_id: cert for cert in new}
    older = (
        Certificate.objects.filter(
            product_id__in=by_product, superseded_by__isnull=True, revoked_at__isnull=True, valid_from__lte=valid_from
        )
        .exclude(pk__in=[cert.pk for cert in new])
        .order_by("pk")
        .select_for_update()
    )
    superseded = []
    for old in older:
        cert = by_product[old.product_id]
        old.superseded_by, old.superseded_at = cert, now
        superseded.append(old)
        audit_record(
            action="certificate.supersede",
            obj=old,
            by=None,
            before={"superseded_by": None, "stars": old.stars},
            after={
                "superseded_by": cert.serial,
                "stars": cert.stars,
                "replacement": str(replacement_kind(old.stars, cert.stars)),
            },
        )
    Certificate.objects.bulk_update(superseded, ["superseded_by", "superseded_at"])


def certificates_enqueue_rendering(*, certificate_ids: Iterable[int]) -> None:
    """Queue one render task per batch of ``certificate_ids`` (one WeasyPrint document each) via the outbox."""
    batch_size = settings.OCOP_CERTIFICATES_PER_DOCUMENT
    ids = sorted(certificate_ids)
    for start in range(0, len(ids), batch_size):
        enqueue(RENDER_CERTIFICATES_TASK, certificate_ids=ids[start : start + batch_size])


def decision_document_enqueue_rendering(*, document_id: int) -> None:
    enqueue(RENDER_DECISION_DOCUMENT_TASK, document_id=document_id)


# --- Rendering: claim, render, store ---------------------------------------------------------------------


def certificate_file_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.valid_from.year}/{certificate.serial}.pdf"


def certificates_render(*, certificate_ids: Iterable[int]) -> int:
    """Render the pending certificates among ``certificate_ids`` in one document. Returns how many were stored.

    Runs in autocommit (a Celery task): the claim commits before the slow part. A transient error puts the
    rows back to pending and is raised again for the task to retry; any other error marks them failed.
    """
    claim = render_claim(Certificate, certificate_ids)
    rows = list(
        Certificate.objects.filter(render_claim=claim)
        .select_related(
            "product__producer__commune__parent__parent",
            "product__product_set",
            "recognition__decision__issuing_unit",
            "product__commune",
        )
        .order_by("serial")
    )
    if not rows:
        return 0
    try:
        pdfs = rendering.render_certificates(rows)
        stored = sum(
            render_store(Certificate, row, claim, certificate_file_name(row), pdf)
            for row, pdf in zip(rows, pdfs, strict=True)
        )
    except TRANSIENT_ERRORS as exc:
        render_fail(Certificate, claim, exc, transient=True)
        raise
    except Exception as exc:
        logger.exception("Rendering certificates %s failed", [r.pk for r in rows])
        render_fail(Certificate, claim, exc, transient=False)
        return 0
    return stored


def decision_document_render(*, document_id: int) -> bool:
    """Render one decision document if it is pending (same claim pattern as certificates). True when stored."""
    claim = render_claim(DecisionDocument, [document_id])
    document = DecisionDocument.objects.filter(render_claim=claim).select_related("decision__issuing_unit").first()
    if document is None:
        return False
    items = list(
        document.decision.items.select_related(
            "product__producer__commune__parent__parent", "product__product_set", "certificate"
        ).order_by("product__name", "pk")
    )
    try:
        pdf = rendering.render_decision_document(document.decision, items)
        name = f"certificates/decisions/{document.decision.date.year}/decision-{document.decision.pk}.pdf"
        return render_store(DecisionDocument, document, claim, name, pdf)
    except TRANSIENT_ERRORS as exc:
        render_fail(DecisionDocument, claim, exc, transient=True)
        raise
    except Exception as exc:
        logger.exception("Rendering decision document %s failed", document_id)
        render_fail(DecisionDocument, claim, exc, transient=False)
        return False


def _render_retry(obj: Any, by: User, enqueue: Callable[[Any], None]) -> Any:
    with transaction.atomic():
        locked, before = render_retry(obj=obj)
        audit_record(
            action=f"{type(obj)._meta.model_name}.render_retry",
            obj=locked,
            by=by,
            before=before,
            after={"render_state": locked.render_state},
        )
        enqueue(locked)
    return locked


def certificate_render_retry(*, certificate: Certificate, by: User) -> Certificate:
    """Province staff send a failed certificate back to the workers."""
    return _render_retry(certificate, by, lambda c: certificates_enqueue_rendering(certificate_ids=[c.pk]))


def decision_document_render_retry(*, document: DecisionDocument, by: User) -> DecisionDocument:
    return _render_retry(document, by, lambda d: decision_document_enqueue_rendering(document_id=d.pk))


def documents_requeue_stuck() -> int:
    """Queue again what lost its message: old pending rows and stale rendering rows. Returns how many."""
    cert_ids = list(render_stuck(Certificate).values_list("pk", flat=True))
    doc_ids = list(render_stuck(DecisionDocument).values_list("pk", flat=True))
    with transaction.atomic():
        certificates_enqueue_rendering(certificate_ids=cert_ids)
        for doc_id in doc_ids:
            decision_document_enqueue_rendering(document_id=doc_id)
    return len(cert_ids) + len(doc_ids)


# --- Lifecycle: revocation, expiry, reminders ------------------------------------------------------------


def certificate_revoke(
    *, certificate: Certificate, reason: str, by: User, at: datetime.datetime | None = None
) -> Certificate:
    """Province staff revoke a certificate; the reason is mandatory and the public page says so at once.

    ``at`` is when it was revoked: now, or a past moment when the demo replays an earlier revocation (never in the
    future nor before the certificate was valid).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    if not by.has_perm("certificates.revoke_certificate", certificate):
        raise PermissionDenied
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise ValidationError(_("This certificate has already been revoked."))
        valid_from = timezone.make_aware(datetime.datetime.combine(locked.valid_from, datetime.time.min))
        when = moment(at, after=valid_from) if at is not None else timezone.now()
        locked.revoked_at, locked.revocation_reason, locked.revoked_by = when, reason, by
        locked.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
        audit_record(
            action="certificate.revoke",
            obj=locked,
            by=by,
            before={"revoked_at": None},
            after={"revoked_at": locked.revoked_at.isoformat()},
            reason=reason,
        )
    return locked


def certificates_mark_expired(*, today: datetime.date | None = None) -> int:
    """Stamp ``expired_at`` on certificates past their end date (the daily job). Returns how many."""
    today = today or timezone.localdate()
    now = timezone.now()
    count = 0
    due = Certificate.objects.filter(
        valid_until__lt=today, expired_at__isnull=True, revoked_at__isnull=True, superseded_by__isnull=True
    ).select_related("product__commune")
    with transaction.atomic():
        for cert in due.select_for_update(of=("self",)):
            cert.expired_at = now
            cert.save(update_fields=["expired_at"])
            audit_record(action="certificate.expire", obj=cert, by=None, after={"expired_at": now.isoformat()})
            count += 1
    return count


def _producer_recipients(certificate: Certificate) -> list[str]:
    """The producer's own address and its accounts; failing those, producer accounts of the product's commune."""
    producer = certificate.product.producer
    accounts = User.objects.filter(role=Role.PRODUCER, is_active=True)
    emails = {producer.email} if producer.email else set()
    emails.update(accounts.filter(producers=producer).values_list("email", flat=True))
    if not emails:
        emails.update(accounts.filter(unit=certificate.product.commune).values_list("email", flat=True))
    return sorted(emails)


def _office_recipients(certificate: Certificate) -> list[str]:
    unit = certificate.recognition.decision.issuing_unit
    staff = [Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER]
    return sorted(set(User.objects.filter(unit=unit, role__in=staff, is_active=True).values_list("email", flat=True)))


def certificates_send_expiry_reminders(*, today: datetime.date | None = None) -> int:
    """Warn holders and issuing offices of certificates expiring within 30 days, once each. Returns how many."""
    today = today or timezone.localdate()
    due = (
        Certificate.objects.currently_valid(today)
        .filter(valid_until__lte=today + timedelta(days=REMINDER_DAYS), reminder_sent_at__isnull=True)
        .select_related("product__producer", "product__commune", "recognition__decision__issuing_unit")
        .order_by("valid_until", "serial")
    )
    sent = 0
    for cert in due:
        # Claim before sending: a second run (or a duplicated task) finds nothing left to send.
        if not Certificate.objects.filter(pk=cert.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        ):
            continue
        try:
            _send_reminder(cert)
        except Exception:
            Certificate.objects.filter(pk=cert.pk).update(reminder_sent_at=None)
            raise
        sent += 1
    return sent


def _send_reminder(cert: Certificate) -> None:
    to, cc = _producer_recipients(cert), _office_recipients(cert)
    if not to and not cc:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"certificate": cert, "verification_url": rendering.verification_url(cert.token)}
        subject = sanitise_subject(render_to_string("certificates/email/expiry_reminder_subject.txt", context))
        body = render_to_string("certificates/email/expiry_reminder.txt", context)
    EmailMessage(subject=subject, body=body, to=to or cc, cc=cc if to else []).send()
