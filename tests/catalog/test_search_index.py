"""The search's trigram index is kept without GIN's pending list, so a search never scans unsorted entries."""

import pytest
from django.db import connection

from apps.catalog.services import catalog_tidy
from tests.factories.catalog import certified_product

pytestmark = pytest.mark.django_db


def test_the_search_index_updates_at_once_instead_of_through_a_pending_list():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'catalog_entry_search_trgm'")
        (options,) = cursor.fetchone()
    assert "fastupdate=off" in (options or [])


def _vacuums_of_the_entries():
    with connection.cursor() as cursor:
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'catalog_catalogentry'")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_daily_rebuild_vacuums_the_entries_after_its_transaction(tree):
    from apps.catalog.tasks import catalog_rebuild_task  # noqa: PLC0415 — the task module imports the services

    certified_product(commune=tree.x)
    before = _vacuums_of_the_entries()
    assert catalog_rebuild_task() == 1
    assert _vacuums_of_the_entries() == before + 1


def test_tidying_inside_a_transaction_does_nothing():
    """VACUUM cannot run in a transaction block: the rebuild's callers inside one (imports, tests) skip it."""
    assert catalog_tidy() is False
