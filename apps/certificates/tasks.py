"""Celery tasks of the certificates app: thin adapters, each calling one service with primitive ids.

Late acknowledgement and reject-on-worker-lost are set for every task in settings, so a task whose worker
dies is delivered again; the services' conditional claims make a second delivery harmless.
"""

from celery import shared_task
from celery.signals import worker_init
from django.conf import settings

from apps.core.rendering import MAX_RENDER_ATTEMPTS, TRANSIENT_ERRORS

from . import rendering, services

RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": MAX_RENDER_ATTEMPTS,
}
# A batch renders in seconds: a short hard limit lets the sweep reclaim a dead worker's rows within two minutes.
RENDER_LIMITS = {
    "time_limit": settings.OCOP_RENDER_TIME_LIMIT_SECONDS,
    "soft_time_limit": max(settings.OCOP_RENDER_TIME_LIMIT_SECONDS - 5, 1),
}


@worker_init.connect(dispatch_uid="certificates_warm_up_renderer")
def warm_up_renderer(**kwargs):
    """In the worker's main process, before the pool forks: every pool process inherits a warm renderer."""
    rendering.warm_up()


@shared_task(name=services.RENDER_CERTIFICATES_TASK, **RETRY, **RENDER_LIMITS)
def render_certificates_task(*, certificate_ids):
    return services.certificates_render(certificate_ids=certificate_ids)


@shared_task(name=services.RENDER_DECISION_DOCUMENT_TASK, **RETRY, **RENDER_LIMITS)
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
