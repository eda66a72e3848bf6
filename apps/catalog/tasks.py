"""Celery tasks of the catalogue."""

from celery import shared_task

from .services import catalog_rebuild, catalog_tidy


@shared_task(name="catalog.rebuild")
def catalog_rebuild_task():
    # Certificates expire and start at midnight without any write: rebuild once a day, then clear away the old rows.
    listed = catalog_rebuild()
    catalog_tidy()
    return listed
