"""The scan buffer: the public scan page writes nothing to the database; scans wait in Redis and a flush writes
each exactly once, even when a flush died half-way; without Redis the page writes the scan itself, as before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from apps.certificates.services import certificate_revoke
from apps.traceability import scanbuffer, services
from apps.traceability.enums import Signal
from apps.traceability.models import Stamp, StampScan

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "apps.core.cache.FailoverRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
        "OPTIONS": {"RETRY_AFTER": 5, "socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
NO_REDIS = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def stamp(ready_batch):
    return ready_batch.stamps.order_by("serial").first()


def _url(stamp):
    return reverse("trace_scan:stamp", kwargs={"code": stamp.code})


def _writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_scan_writes_nothing_to_the_database_and_the_flush_writes_it_once(stamp, client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(stamp), REMOTE_ADDR="203.113.45.7")
    assert response.status_code == 200
    assert _writes(queries.captured_queries) == []
    assert StampScan.objects.count() == 0
    assert services.scans_flush() == 1
    assert services.scans_flush() == 0
    scan = StampScan.objects.get()
    assert (scan.stamp_id, scan.ip_prefix, scan.signals) == (stamp.pk, "203.113.45.0/24", "")
    assert scan.record_id is not None
    stamp.refresh_from_db()
    assert stamp.scan_count == 1 and stamp.first_scanned_at == scan.scanned_at


def test_the_live_count_includes_the_scans_still_waiting(stamp, client, settings):
    settings.OCOP_STAMP_SCAN_LIMIT = 2
    Stamp.objects.filter(pk=stamp.pk).update(scan_count=1)  # one scan already written
    assert client.get(_url(stamp)).context["scan_count"] == 2
    third = client.get(_url(stamp))
    assert third.context["scan_count"] == 3
    assert "too_many_scans" in third.context["verdict"].signals
    assert StampScan.objects.count() == 0
    services.scans_flush()
    stamp.refresh_from_db()
    # The row count is the truth after the flush: 2 rows (the "one already written" was only a counter here).
    assert stamp.scan_count == StampScan.objects.filter(stamp=stamp).count() == 2


def test_a_flush_that_died_after_moving_the_queue_is_taken_up_by_the_next(stamp, client):
    for _ in range(3):
        client.get(_url(stamp))
    moved = scanbuffer._take(scanbuffer._client())  # a flush that died right after RENAME
    assert len(moved) == 1 and StampScan.objects.count() == 0
    assert services.scans_flush() == 3
    assert StampScan.objects.filter(stamp=stamp).count() == 3
    assert not list(scanbuffer._client().scan_iter(f"{scanbuffer.FLUSHING}*"))


def test_a_flush_that_died_after_writing_writes_nothing_twice(stamp, client):
    for _ in range(4):
        client.get(_url(stamp))
    client_ = scanbuffer._client()
    (moved,) = scanbuffer._take(client_)
    import json  # noqa: PLC0415 — only this test reads the raw rows

    scanbuffer._write([json.loads(raw) for raw in client_.lrange(moved, 0, -1)])  # written, then died before LTRIM
    assert StampScan.objects.count() == 4
    services.scans_flush()  # takes the moved list up again
    assert StampScan.objects.count() == 4
    stamp.refresh_from_db()
    assert stamp.scan_count == 4


@pytest.mark.parametrize("caches", [UNREACHABLE_REDIS, NO_REDIS], ids=["redis-down", "no-redis"])
def test_without_a_reachable_redis_the_page_writes_the_scan_itself(stamp, client, settings, caches):
    settings.CACHES = caches
    response = client.get(_url(stamp))
    assert response.status_code == 200
    assert response.context["scan_count"] == 1
    scan = StampScan.objects.get()
    assert scan.stamp_id == stamp.pk and scan.record_id is None
    stamp.refresh_from_db()
    assert stamp.scan_count == 1


@pytest.mark.migration_data
def test_the_flush_runs_every_minute():
    task = PeriodicTask.objects.get(task="traceability.flush_scans")
    assert (task.interval.every, task.interval.period, task.enabled) == (60, "seconds", True)


def test_the_cached_stamp_goes_stale_when_the_stamp_is_voided(stamp, client, users):
    assert client.get(_url(stamp)).context["verdict"].genuine  # the stamp and its certificate are now cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(stamp)).context["verdict"].genuine
    assert not [q for q in queries.captured_queries if "traceability_stamp" in q["sql"]]  # served from the cache
    services.stamps_void_range(batch=stamp.batch, first=1, last=1, reason="Mất cuộn tem", by=users.producer)
    assert client.get(_url(stamp)).context["verdict"].signals == [Signal.VOIDED]


def test_the_cached_certificate_goes_stale_when_it_is_revoked(stamp, client, world, users):
    assert client.get(_url(stamp)).context["verdict"].genuine
    certificate_revoke(certificate=world.certificate, reason="Vi phạm chất lượng", by=users.province)
    response = client.get(_url(stamp))
    assert response.context["verdict"].signals == [Signal.CERTIFICATE_INVALID]
    assert response.context["status"] == "revoked"
