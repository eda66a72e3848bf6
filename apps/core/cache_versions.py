"""Versions kept in the cache: one key per area, the time of its last change, named in the keys of what is cached.

Bumping the version makes everything cached under the old one stale at once (the catalogue's pages and figures,
the traceability records).
"""

import time

from django.core.cache import cache


def cache_version(key):
    """The version under ``key`` (epoch seconds of the last change); set to now when the cache lost it."""
    version = cache.get(key)
    if version is None:
        version = time.time()
        if not cache.add(key, version, timeout=None):
            version = cache.get(key, version)
    return version


def cache_version_bump(key):
    """Move the version under ``key`` on: strictly increasing even when two changes land within the clock's
    resolution."""
    previous = cache.get(key) or 0
    cache.set(key, max(time.time(), previous + 0.001), timeout=None)
