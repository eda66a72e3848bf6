"""Celery tasks of the councils: thin adapters calling one service with primitive ids.

Late acknowledgement and reject-on-worker-lost are set for every task in settings; the service's conditional
claim makes a second delivery harmless.
"""

from celery import shared_task

from apps.core.rendering import MAX_RENDER_ATTEMPTS, TRANSIENT_ERRORS

from .services import minutes as minutes_services


@shared_task(
    name="evaluation.render_minutes",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_RENDER_ATTEMPTS,
)
def render_minutes_task(*, round_id):
    return minutes_services.minutes_render_stored(round_id=round_id)


@shared_task(name="evaluation.requeue_stuck_minutes")
def requeue_stuck_minutes_task():
    return minutes_services.minutes_requeue_stuck()
