"""The catalogue's version: one cache key bumped whenever a certified product appears, changes or goes.

Cached facet counts and statistics carry the version (and today's date, since certificates expire at midnight
without any write) in their keys, so a bump makes every cached figure stale at once. The version is the time of
the last change, which is also the open-data API's ``Last-Modified``.
"""

import contextvars
import datetime
import hashlib
import json
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from apps.core.cache_versions import cache_version, cache_version_bump
from apps.core.release import release

VERSION_KEY = "catalog:version"
CACHE_SECONDS = 60 * 60 * 24
# A process's own copy of what it read or wrote under a version key (``caches["catalog"]``): a new version is a new
# key, so the copy is exactly as fresh as Redis's; kept for minutes only, to bound the memory old versions hold.
LOCAL_SECONDS = 10 * 60
# The version read once at the start of a public page's request (see :func:`cache_public_page`): every key the
# page builds then names the same version, and the page costs one Redis round trip for it instead of one per key.
_request_version = contextvars.ContextVar("catalog_request_version", default=None)


def catalog_version():
    """The time (epoch seconds) of the last change; set to now when the cache lost it."""
    pinned = _request_version.get()
    if pinned is not None:
        return pinned
    return cache_version(VERSION_KEY)


def _bump():
    _request_version.set(None)
    cache_version_bump(VERSION_KEY)


def catalog_version_bump():
    """Make every cached page and figure stale: now, and once more when the current transaction commits.

    Between the first bump and the commit, a visitor's request still reads the old rows and could cache them
    under the new version; the bump after the commit leaves such pages behind.
    """
    _bump()
    connection = transaction.get_connection()
    if not any(func is _bump for _savepoints, func, _robust in connection.run_on_commit):  # once per transaction
        transaction.on_commit(_bump, robust=True)


def catalog_last_modified(today=None):
    """When the public catalogue last changed: the last write, or midnight if certificates expired since."""
    changed = datetime.datetime.fromtimestamp(catalog_version(), tz=datetime.UTC)
    today = today or timezone.localdate()
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return max(changed, midnight).replace(microsecond=0)


def cache_key(name, today, **params):
    """A key for ``name`` under the current version and ``today``, distinguished by ``params``."""
    raw = json.dumps(params, sort_keys=True, default=str)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:24]
    return f"catalog:{name}:{release()}:{catalog_version():.3f}:{today.isoformat()}:{digest}"


def read_many(keys):
    """{key: value} of the version keys ``keys`` that are cached: from this process's memory, the rest from Redis in
    one round trip (and kept in memory from then on).

    Only for keys that name the catalogue's version (:func:`cache_key`): the version itself is read from Redis once
    per request, so a process never serves a part of a version the catalogue has left.
    """
    local = caches["catalog"]
    found = local.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        shared = cache.get_many(missing)
        if shared:
            local.set_many(shared, timeout=LOCAL_SECONDS)
            found.update(shared)
    return found


def write_many(values):
    """Keep ``values`` (under version keys) in Redis for every process and in this process's memory."""
    cache.set_many(values, timeout=CACHE_SECONDS)
    caches["catalog"].set_many(values, timeout=LOCAL_SECONDS)


def cached(name, today, compute, **params):
    key = cache_key(name, today, **params)
    value = read_many([key]).get(key)
    if value is None:
        value = compute()
        write_many({key: value})
    return value


def _with_pinned_version(view, request, *args, version=None, **kwargs):
    token = _request_version.set(version if version is not None else catalog_version())
    try:
        return view(request, *args, **kwargs)
    finally:
        _request_version.reset(token)


def public_page_key(full_path, language):
    """Where a public page is stored (without the version: it is stored next to the version it was built under)."""
    raw = json.dumps({"path": full_path, "lang": language}, sort_keys=True)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:24]
    return f"catalog:page:{release()}:{timezone.localdate().isoformat()}:{digest}"


def cacheable(response):
    return response.status_code == HTTPStatus.OK and not response.streaming and not response.cookies


def cache_public_page(view):
    """Serve a public page from the cache to anonymous visitors.

    The key holds the catalogue's version, today's date, the language and the full path with its query, so a
    recognition, revocation or upgrade (which bump the version) or midnight (expiry) makes every cached page stale
    at once. Logged-in users always get a fresh page: theirs carries the staff navigation. The pages only read,
    so they skip ATOMIC_REQUESTS: a cache hit then touches the database not at all.

    A visitor without cookies is served earlier still, by :class:`apps.catalog.middleware.PublicPageMiddleware`,
    which has read the cache already: then this stores nothing but tells the middleware what to store (the page
    with the headers every middleware gave it).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            not settings.OCOP_PUBLIC_PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
        ):
            return _with_pinned_version(view, request, *args, **kwargs)
        early = getattr(request, "ocop_public_page", None)
        if early is not None:
            key, found = early
        else:
            # One round trip reads both the current version and the page; a page of an older version is a miss.
            key = public_page_key(request.get_full_path(), get_language())
            found = cache.get_many([VERSION_KEY, key])
        version, hit = found.get(VERSION_KEY), found.get(key)
        if version is not None and hit is not None and hit[0] == version:
            response = HttpResponse(hit[1], content_type=hit[2])
        else:
            version = version if version is not None else catalog_version()
            response = _with_pinned_version(view, request, *args, version=version, **kwargs)
            if early is None and cacheable(response):
                cache.set(key, (version, response.content, response["Content-Type"], None), timeout=CACHE_SECONDS)
        if early is not None and cacheable(response):
            response.ocop_public_page = version
        return response

    return transaction.non_atomic_requests(wrapper)
