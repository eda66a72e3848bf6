"""Celery tasks of the producers app: thin adapters calling one service with primitive ids.

Late acknowledgement is set for every task in settings: a bulk move whose worker dies is delivered again and
carries on where it stopped (each producer is one transaction, recorded in the run).
"""

from celery import shared_task

from . import services


@shared_task(name="producers.bulk_rehoming")
def bulk_rehoming_task(*, run_id):
    try:
        return services.bulk_rehoming_run(run_id=run_id)
    except Exception as exc:
        services.bulk_rehoming_fail(run_id=run_id, error=exc)
        raise
