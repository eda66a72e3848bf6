"""Celery tasks of the catalogue."""

from celery import shared_task

from .services import catalog_rebuild


@shared_task(name="catalog.rebuild")
def catalog_rebuild_task():
    # Certificates expire and start at midnight without any write: rebuild once a day.
    return catalog_rebuild()
