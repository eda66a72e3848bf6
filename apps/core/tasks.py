"""Periodic tasks of the outbox: thin adapters over :mod:`apps.core.outbox`."""

from celery import shared_task


@shared_task(name="core.outbox_flush")
def outbox_flush_task():
    from .outbox import outbox_flush  # noqa: PLC0415 — tasks are the bottom layer: services load in the body

    return outbox_flush()


@shared_task(name="core.outbox_purge")
def outbox_purge_task():
    from .outbox import outbox_purge  # noqa: PLC0415 — tasks are the bottom layer: services load in the body

    return outbox_purge()
