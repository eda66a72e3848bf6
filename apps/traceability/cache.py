"""The traceability record's version: bumped after every write to sites, lots, events and certifications.

The scan page caches the rendered record of a lot (product, producer, sites, events, points of sale) under this
version, the catalogue's version (photos, points of sale, certificates) and today's date, and for anonymous
visitors the whole page but its live part (the verdict and the counters) per path and language, next to the two
versions it was built under. The stamp's own state and the certificate change only with a version bump (void,
revocation) or with the date (expiry), so the verdict is computed from them on every scan with the live counters.
"""

import contextlib
import contextvars
import hashlib

from django.core.cache import cache
from django.db import transaction

from apps.catalog import cache as catalog_cache
from apps.catalog.cache import cache_key
from apps.core.cache_versions import cache_version, cache_version_bump
from apps.core.release import release

from . import scanbuffer

VERSION_KEY = "traceability:version"
RECORD_SECONDS = 60 * 60
PAGE_SECONDS = 60 * 60


REGIONS_SECONDS = 60  # the regions come from written scans, which lag by up to a minute anyway

_request_version = contextvars.ContextVar("trace_request_version", default=None)


def trace_version():
    pinned = _request_version.get()
    return pinned if pinned is not None else cache_version(VERSION_KEY)


@contextlib.contextmanager
def versions_pinned(*, trace=None, catalog=None):
    """Use one traceability and one catalogue version for the whole request (the scan page builds several keys
    from them): the ones given (already read with the cached page), else both read in one round trip. A version
    the cache lost is read (and set) the usual way. Yields the pair, which the cached page is stored under."""
    if trace is None or catalog is None:
        found = cache.get_many([VERSION_KEY, catalog_cache.VERSION_KEY])
        trace, catalog = found.get(VERSION_KEY), found.get(catalog_cache.VERSION_KEY)
    trace = trace or cache_version(VERSION_KEY)
    catalog = catalog or catalog_cache.catalog_version()
    trace_token = _request_version.set(trace)
    catalog_token = catalog_cache._request_version.set(catalog)
    try:
        yield trace, catalog
    finally:
        catalog_cache._request_version.reset(catalog_token)
        _request_version.reset(trace_token)


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


def regions_key(code):
    return f"trace:regions:{code}"


def cached_regions_count(*, stamp, count):
    """How many provinces a stamp was scanned in (the "too many scans" warning), cached for a minute per stamp."""
    key = regions_key(stamp.code)
    value = cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, timeout=REGIONS_SECONDS)
    return value


def page_key(*, path, language, today):
    """The scan page of one path (``/t/<code>/``, ``/en/t/<code>/``, a Digital Link) in one language on one day,
    without its live part (``views``). Stored next to the two versions it was built under: a page of an older
    version is a miss, so the current versions and the page come in one round trip (``scanbuffer.scan_read``)."""
    digest = hashlib.sha256(f"{language}|{path}".encode()).hexdigest()[:24]
    return f"trace:scan-page:{release()}:{today.isoformat()}:{digest}"


def scan_read_keys(*, path, language, today, code):
    """The cache's own names (``cache.make_key``: prefix and version) of what ``scanbuffer.scan_read`` reads."""
    return {
        "trace_key": cache.make_key(VERSION_KEY),
        "catalog_key": cache.make_key(catalog_cache.VERSION_KEY),
        "page_key": cache.make_key(page_key(path=path, language=language, today=today)),
        "regions_key": cache.make_key(regions_key(code)),
    }


def cache_page(*, path, language, today, versions, page, stamp, signals):
    """Keep the page for ``scanbuffer.scan_read`` (a Redis hash, not a cached value: the read script compares its
    versions and reads the stamp's id and static signals)."""
    scanbuffer.store_page(
        key=cache.make_key(page_key(path=path, language=language, today=today)),
        versions=versions,
        page=page,
        stamp=stamp,
        signals=signals,
        seconds=PAGE_SECONDS,
    )
