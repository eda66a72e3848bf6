"""Celery tasks of the traceability app: thin adapters calling one service each, with primitive ids."""

from celery import shared_task

from . import services


@shared_task(
    name="traceability.generate_batch",
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=services.MAX_GENERATION_ATTEMPTS,
)
def generate_batch_task(*, batch_id):
    return services.stamp_batch_generate(batch_id=batch_id)


@shared_task(name="traceability.requeue_stuck")
def requeue_stuck_task():
    return services.stamp_batches_requeue_stuck()


@shared_task(name="traceability.flush_scans", ignore_result=True)
def flush_scans_task():
    return services.scans_flush()
