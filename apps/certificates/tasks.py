"""Celery tasks of the certificates app: thin adapters, each calling one service with primitive ids.

Late acknowledgement and reject-on-worker-lost are set for every task in settings, so a task whose worker
dies is delivered again; the services' conditional claims make a second delivery harmless.
"""

from celery import shared_task

from . import services

RETRY = {
    "autoretry_for": services.TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": services.MAX_RENDER_ATTEMPTS,
}


@shared_task(name="certificates.render_certificates", **RETRY)
def render_certificates_task(*, certificate_ids):
    return services.certificates_render(certificate_ids=certificate_ids)


@shared_task(name="certificates.render_decision_document", **RETRY)
def render_decision_document_task(*, document_id):
    return services.decision_document_render(document_id=document_id)


@shared_task(name="certificates.requeue_stuck")
def requeue_stuck_task():
    return services.documents_requeue_stuck()


@shared_task(name="certificates.mark_expired")
def mark_expired_task():
    return services.certificates_mark_expired()


@shared_task(name="certificates.send_expiry_reminders", **RETRY)
def send_expiry_reminders_task():
    return services.certificates_send_expiry_reminders()
