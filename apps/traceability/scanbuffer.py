"""Scans are buffered in Redis and written to the database in bulk, so the most-hit public page writes nothing.

A scan on the public page costs one Redis pipeline instead of an INSERT, an UPDATE and their commit:

- ``trace:scan-count:<stamp code>`` is the live scan count the counterfeit rule reads. It starts from the stamp's
  database count the first time (``SET NX``) and is incremented by each scan, so the count a shopper sees includes
  the scans still waiting in the buffer.
- ``trace:scan-place:<stamp code>`` keeps the latest scan that had a place (for the distance rule).
- ``trace:scans`` is the list of waiting scan rows (JSON), each with its own ``record_id`` (UUID).

The counter and the place are named by the stamp's code (the one thing in the scan URL), so that ``scan_read`` can
take them in the same round trip as the cached page, before the stamp is known (see ``views``).

``flush`` (the beat task ``traceability.flush_scans``, every minute) moves the
list aside under a unique name with ``RENAME`` (atomic), inserts its rows with ``ignore_conflicts`` on
``record_id`` and recomputes each touched stamp's ``scan_count`` from its rows, then deletes the moved list. A
flush that dies half-way leaves the moved list behind; the next flush takes it up again, and the unique
``record_id`` keeps every scan exactly once.

Redis is an optimisation, never a dependency: without a Redis cache (dev, SQLite) or while Redis is unreachable
the scan is written to the database straight away, as before.
"""

import json
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime

from apps.core.cache import UNREACHABLE

from .models import Stamp, StampScan

logger = logging.getLogger(__name__)

QUEUE = "trace:scans"
FLUSHING = "trace:scans:flushing:"
COUNT_KEY = "trace:scan-count:{}"
PLACE_KEY = "trace:scan-place:{}"
COUNTER_SECONDS = 7 * 24 * 60 * 60
FLUSH_BATCH = 5000


def _client():
    """The raw Redis client behind the default cache, or None without a reachable Redis (dev, SQLite, outage)."""
    default = caches["default"]
    if not isinstance(default, RedisCache) or getattr(default, "redis_is_down", False):
        return None
    return default._cache.get_client(write=True)


def row_fields(*, scanned_at, ip_prefix, place):
    """A queued scan row but its stamp and signals."""
    return {
        "record_id": str(uuid.uuid4()),
        "scanned_at": scanned_at.isoformat(),
        "ip_prefix": ip_prefix,
        "region": (place.get("region") or "")[:128],
        "latitude": None if place.get("latitude") is None else str(place["latitude"]),
        "longitude": None if place.get("longitude") is None else str(place["longitude"]),
    }


def _row(*, stamp, scanned_at, ip_prefix, place, signals):
    return {
        **row_fields(scanned_at=scanned_at, ip_prefix=ip_prefix, place=place),
        "stamp_id": stamp.pk,
        "signals": signals,
    }


def next_count(stamp):
    """Count this scan and return the stamp's live scan count including it, or None when Redis is not there."""
    try:
        client = _client()
        if client is None:
            return None
        key = COUNT_KEY.format(stamp.code)
        pipe = client.pipeline(transaction=False)
        pipe.set(key, stamp.scan_count, nx=True, ex=COUNTER_SECONDS)
        pipe.incr(key)
        pipe.expire(key, COUNTER_SECONDS)
        return int(pipe.execute()[1])
    except UNREACHABLE as exc:
        logger.warning("scan buffer unreachable (%s); writing the scan to the database", exc)
        return None


def previous_place(stamp):
    """The latest placed scan kept in Redis: (latitude, longitude, scanned_at), or None."""
    try:
        client = _client()
        raw = client.get(PLACE_KEY.format(stamp.code)) if client is not None else None
    except UNREACHABLE:
        return None
    return parse_place(raw)


def parse_place(raw):
    """(latitude, longitude, scanned_at) of a place kept by ``push``, or None."""
    if not raw:
        return None
    data = json.loads(raw)
    return Decimal(data["latitude"]), Decimal(data["longitude"]), parse_datetime(data["scanned_at"])


def push(*, stamp, scanned_at, ip_prefix, place, signals):
    """Queue the scan row. Returns False when Redis could not take it (the caller then writes it directly)."""
    row = _row(stamp=stamp, scanned_at=scanned_at, ip_prefix=ip_prefix, place=place, signals=signals)
    try:
        client = _client()
        if client is None:
            return False
        pipe = client.pipeline(transaction=False)
        pipe.rpush(QUEUE, json.dumps(row))
        if row["latitude"] is not None:
            place_row = {k: row[k] for k in ("latitude", "longitude", "scanned_at")}
            pipe.set(PLACE_KEY.format(stamp.code), json.dumps(place_row), ex=COUNTER_SECONDS)
        pipe.execute()
        return True
    except UNREACHABLE as exc:
        logger.warning("scan buffer unreachable (%s); writing the scan to the database", exc)
        return False


# One round trip for a repeat scan (``scan_read``). The cached page is a hash: the page itself, the raw values of the
# two versions it was built under, the stamp's id and the signals that do not depend on the scans (``counterfeit.
# static_signals``: they change only with a version or the date, both in the page's name or fields). When the page
# is fresh, the script counts the scan (random codes have no page, so they create no counter) and, when the caller
# gave the row (no place: the distance rule cannot apply), pushes it with those signals plus "too many scans" when
# the new count is over the limit: the same rule as ``counterfeit.too_many_scans``, and a test holds the stored
# signals to the page's verdict at the limit. A counter Redis lost is left alone (false): ``next_count`` starts it
# from the database count, and the caller pushes the row, as on a first scan.
_READ_LUA = """
local p = redis.call('HMGET', KEYS[3], 'trace', 'catalog', 'page', 'stamp', 'signals')
local trace = redis.call('GET', KEYS[1])
local catalog = redis.call('GET', KEYS[2])
local fresh = p[3] and trace and catalog and p[1] == trace and p[2] == catalog
local count = false
local pushed = 0
if fresh and ARGV[1] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then
  count = redis.call('INCR', KEYS[4])
  redis.call('EXPIRE', KEYS[4], ARGV[2])
  if ARGV[3] ~= '' then
    local row = cjson.decode(ARGV[3])
    local signals = p[5]
    if count > tonumber(ARGV[4]) then
      if signals == '' then signals = ARGV[5] else signals = signals .. ',' .. ARGV[5] end
    end
    row['stamp_id'] = tonumber(p[4])
    row['signals'] = signals
    redis.call('RPUSH', KEYS[7], cjson.encode(row))
    pushed = 1
  end
end
local page = false
if fresh then page = p[3] end
return {trace, catalog, page, count, redis.call('GET', KEYS[5]), redis.call('GET', KEYS[6]), pushed}
"""
_scripts = {}


@dataclass(frozen=True)
class ScanRead:
    trace_version: Any
    catalog_version: Any
    page: Any  # the cached page when it is fresh (built under the current versions), else None
    count: int | None  # this scan counted already (None: not counted; a HEAD, no fresh page, or no counter yet)
    pushed: bool  # this scan's row queued already
    place: Any  # parsed like ``previous_place``
    regions: int | None


def scan_read(*, code, trace_key, catalog_key, page_key, regions_key, count, row, limit, too_many):
    """What a scan of ``code`` needs from Redis, and the scan itself, in one round trip; None without a reachable
    Redis.

    The ``*_key`` are the cache's keys (``cache.make_key``) of the two versions, the page (``store_page``) and the
    regions count, decoded with the cache's serializer; ``count`` says whether to count this scan (GET) or not
    (HEAD); ``row`` is this scan's row without stamp and signals (``row_fields``), or None to push it oneself;
    ``limit`` and ``too_many`` the "too many scans" rule's limit and signal."""
    default = caches["default"]
    try:
        client = _client()
        if client is None:
            return None
        script = _scripts.get(id(client))
        if script is None:
            script = _scripts[id(client)] = client.register_script(_READ_LUA)
        keys = [trace_key, catalog_key, page_key, COUNT_KEY.format(code), PLACE_KEY.format(code), regions_key, QUEUE]
        args = [int(count), COUNTER_SECONDS, "" if row is None else json.dumps(row), limit, too_many]
        trace, catalog, page, counted, place, regions, pushed = script(keys=keys, args=args)
    except UNREACHABLE as exc:
        logger.warning("scan buffer unreachable (%s); the scan page takes the long way", exc)
        return None
    loads = default._cache._serializer.loads
    return ScanRead(
        trace_version=None if trace is None else loads(trace),
        catalog_version=None if catalog is None else loads(catalog),
        page=None if page is None else loads(page),
        count=None if counted is None else int(counted),
        pushed=bool(pushed),
        place=parse_place(place),
        regions=None if regions is None else loads(regions),
    )


def store_page(*, key, versions, page, stamp, signals, seconds):
    """Keep a scan page for ``scan_read`` under the cache's key ``key``: the versions as the cache stores them (so
    the script compares bytes), the page pickled like any cached value. Nothing without a reachable Redis."""
    dumps = caches["default"]._cache._serializer.dumps
    try:
        client = _client()
        if client is None:
            return
        pipe = client.pipeline(transaction=True)
        fields = {"trace": dumps(versions[0]), "catalog": dumps(versions[1]), "page": dumps(page)}
        pipe.hset(key, mapping={**fields, "stamp": stamp.pk, "signals": ",".join(signals)})
        pipe.expire(key, seconds)
        pipe.execute()
    except UNREACHABLE as exc:
        logger.warning("scan buffer unreachable (%s); the scan page is not kept", exc)


def _take(client):
    """The lists to write: any left by a flush that died, then the current queue moved aside atomically."""
    names = [name.decode() if isinstance(name, bytes) else name for name in client.scan_iter(f"{FLUSHING}*")]
    mine = f"{FLUSHING}{uuid.uuid4().hex}"
    try:
        client.rename(QUEUE, mine)
        names.append(mine)
    except Exception as exc:
        if "no such key" not in str(exc).lower():
            raise
    return names


def _write(rows):
    scans = [
        StampScan(
            record_id=r["record_id"],
            stamp_id=r["stamp_id"],
            scanned_at=parse_datetime(r["scanned_at"]),
            ip_prefix=r["ip_prefix"],
            region=r["region"],
            latitude=r["latitude"],
            longitude=r["longitude"],
            signals=r["signals"],
        )
        for r in rows
    ]
    stamp_ids = sorted({r["stamp_id"] for r in rows})
    existing = set(Stamp.objects.filter(pk__in=stamp_ids).values_list("pk", flat=True))
    scans = [s for s in scans if s.stamp_id in existing]  # a stamp deleted meanwhile takes its scans with it
    with transaction.atomic():
        StampScan.objects.bulk_create(scans, batch_size=1000, ignore_conflicts=True)
        per_stamp = StampScan.objects.filter(stamp=OuterRef("pk")).order_by().values("stamp")
        Stamp.objects.filter(pk__in=existing).update(
            scan_count=Subquery(per_stamp.annotate(n=Count("pk")).values("n")),
            first_scanned_at=Coalesce(
                "first_scanned_at", Subquery(per_stamp.annotate(m=Min("scanned_at")).values("m"))
            ),
        )
    return len(scans)


def flush():
    """Write every waiting scan to the database. Returns the number of rows handed to the database."""
    try:
        client = _client()
        if client is None:
            return 0
        names = _take(client)
    except UNREACHABLE as exc:
        logger.warning("scan buffer unreachable (%s); scans wait in Redis for the next flush", exc)
        return 0
    written = 0
    for name in names:
        while True:
            raw = client.lrange(name, 0, FLUSH_BATCH - 1)
            if not raw:
                client.delete(name)
                break
            written += _write([json.loads(item) for item in raw])
            client.ltrim(name, len(raw), -1)
    return written
