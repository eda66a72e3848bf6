"""Celery tasks of the core app: sending the queued mail, and the outbox sweeps (:mod:`apps.core.outbox`)."""

from celery import shared_task
from django.conf import settings

from . import mail

MAIL_MAX_RETRIES = 8


@shared_task(name="core.send_mail", bind=True, max_retries=MAIL_MAX_RETRIES)
def send_mail_task(self, *, mail_id):
    try:
        return mail.mail_deliver(mail_id=mail_id)
    except mail.TRANSIENT_MAIL_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            mail.mail_give_up(mail_id=mail_id)
            return False
        # 30 s, 1 min, 2 min … (OCOP_MAIL_RETRY_SECONDS, doubled) up to about an hour between tries.
        countdown = min(settings.OCOP_MAIL_RETRY_SECONDS * 2**self.request.retries, 3600)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="core.outbox_flush")
def outbox_flush_task():
    from .outbox import outbox_flush  # noqa: PLC0415 — tasks are the bottom layer: services load in the body

    return outbox_flush()


@shared_task(name="core.outbox_purge")
def outbox_purge_task():
    from .outbox import outbox_purge  # noqa: PLC0415 — tasks are the bottom layer: services load in the body

    return outbox_purge()
