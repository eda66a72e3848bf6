"""The traceability record's version: bumped after every write to sites, lots, events and certifications.

The scan page caches the rendered record of a lot (product, producer, sites, events, points of sale) under this
version, the catalogue's version (photos, points of sale, certificates) and today's date; what must be live (the
stamp's own state, the certificate's status, the scan counters) is read on every request.
"""

from django.core.cache import cache
from django.db import transaction

from apps.catalog.cache import cache_key
from apps.core.cache_versions import cache_version, cache_version_bump

VERSION_KEY = "traceability:version"
RECORD_SECONDS = 60 * 60


def trace_version():
    return cache_version(VERSION_KEY)


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
