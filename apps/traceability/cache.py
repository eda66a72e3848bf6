"""The traceability record's version: bumped after every write to sites, lots, events and certifications.

The scan page caches the rendered record of a lot (product, producer, sites, events, points of sale) under this
version, the catalogue's version (photos, points of sale, certificates) and today's date; what must be live (the
stamp's own state, the certificate's status, the scan counters) is read on every request.
"""

import contextlib
import contextvars

from django.core.cache import cache
from django.db import transaction

from apps.catalog import cache as catalog_cache
from apps.catalog.cache import cache_key
from apps.core.cache_versions import cache_version, cache_version_bump

VERSION_KEY = "traceability:version"
RECORD_SECONDS = 60 * 60


REGIONS_SECONDS = 60  # the regions come from written scans, which lag by up to a minute anyway

_request_version = contextvars.ContextVar("trace_request_version", default=None)


def trace_version():
    pinned = _request_version.get()
    return pinned if pinned is not None else cache_version(VERSION_KEY)


@contextlib.contextmanager
def versions_pinned():
    """Read the traceability and catalogue versions in one round trip and use them for the whole request (the scan
    page builds three keys from them). A version the cache lost is read (and set) the usual way."""
    found = cache.get_many([VERSION_KEY, catalog_cache.VERSION_KEY])
    trace = _request_version.set(found.get(VERSION_KEY) or cache_version(VERSION_KEY))
    catalog = catalog_cache._request_version.set(
        found.get(catalog_cache.VERSION_KEY) or catalog_cache.catalog_version()
    )
    try:
        yield
    finally:
        catalog_cache._request_version.reset(catalog)
        _request_version.reset(trace)


def _bump():
    cache_version_bump(VERSION_KEY)


def trace_version_bump():
    """Now and again after the commit (a request between the two could cache the old rows otherwise)."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def record_key(*, today, batch, language):
    return cache_key("trace-record", today, batch=batch.pk, lot=batch.lot_id, lang=language, trace=trace_version())


def cached_record(*, today, batch, language, render):
    key = record_key(today=today, batch=batch, language=language)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=RECORD_SECONDS)
    return html


def stamp_key(*, today, code):
    return cache_key("trace-stamp", today, code=code, trace=trace_version())


def cached_stamp(*, today, code, lookup):
    """``(stamp, certificate)`` for a stamp code, cached under the traceability and catalogue versions and today.

    Voiding a stamp or a batch bumps the traceability version; a revocation, a new certificate or a product change
    bumps the catalogue's; expiry is a date, and today is in the key. Unknown codes are not cached, so random codes
    cannot fill the cache. The scan counters are not in here: they are live in Redis (``scanbuffer``)."""
    key = stamp_key(today=today, code=code)
    found = cache.get(key)
    if found is None:
        found = lookup()
        if found[0] is not None:
            cache.set(key, found, timeout=RECORD_SECONDS)
    return found


def cached_regions_count(*, stamp, count):
    """How many provinces a stamp was scanned in (the "too many scans" warning), cached for a minute per stamp."""
    key = f"trace:regions:{stamp.pk}"
    value = cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, timeout=REGIONS_SECONDS)
    return value
