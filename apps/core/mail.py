"""Mail that never breaks a request: queued as a row in the caller's transaction, sent by a Celery task after the
commit, retried with backoff while the mail server is unreachable, and marked failed (so it can be re-sent) after.
"""

import re
import smtplib
import unicodedata

from django.core.mail import EmailMessage
from django.utils import timezone

from .enums import MailState
from .models import OutgoingMail
from .outbox import enqueue

SEND_MAIL_TASK = "core.send_mail"

# What a mail server that is down, refusing or slow looks like: worth retrying later.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)
SUBJECT_MAX_LENGTH = 200


def sanitise_subject(text):
    """One line of printable text: CR, LF and every other control or format character become a space.

    A product name with a line break would otherwise end up in the Subject header (Django refuses it with
    BadHeaderError, a 500 before issue 11), or worse, inject a header.
    """
    cleaned = "".join(" " if unicodedata.category(ch)[0] in ("C", "Z") else ch for ch in str(text))
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    if len(cleaned) > SUBJECT_MAX_LENGTH:
        cleaned = cleaned[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return cleaned


def mail_queue(*, kind, subject, body, to, user=None):
    """Queue a mail to ``to`` (a list of addresses); it is sent once the surrounding transaction commits."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    mail = OutgoingMail.objects.create(
        kind=kind, subject=sanitise_subject(subject), body=body, to=recipients, user=user
    )
    # Through the outbox: a broker that is down never turns a committed change into an error page, and the
    # one-minute sweep sends the task once it is back.
    enqueue(SEND_MAIL_TASK, mail_id=mail.pk)
    return mail


def mail_deliver(*, mail_id):
    """Send a queued mail once. Returns False when there is nothing to send; raises a transient error to retry."""
    mail = OutgoingMail.objects.filter(pk=mail_id, state=MailState.PENDING).first()
    if mail is None:
        return False
    OutgoingMail.objects.filter(pk=mail.pk).update(attempts=mail.attempts + 1)
    try:
        EmailMessage(subject=mail.subject, body=mail.body, to=mail.to).send()
    except TRANSIENT_MAIL_ERRORS as exc:
        OutgoingMail.objects.filter(pk=mail.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:500])
        raise
    OutgoingMail.objects.filter(pk=mail.pk, state=MailState.PENDING).update(
        state=MailState.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def mail_give_up(*, mail_id):
    """After the last retry: the mail is failed, and an invitation can be sent again by its inviter."""
    return OutgoingMail.objects.filter(pk=mail_id, state=MailState.PENDING).update(state=MailState.FAILED)
