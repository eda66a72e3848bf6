"""The one cache-version counter that the catalogue and the traceability records both use."""

import time

from django.core.cache import cache

from apps.core.cache_versions import cache_version, cache_version_bump


def test_a_lost_version_is_set_to_now_once_and_then_kept(monkeypatch):
    cache.delete("test:version")
    monkeypatch.setattr(time, "time", lambda: 1000.0)
    assert cache_version("test:version") == 1000.0
    monkeypatch.setattr(time, "time", lambda: 2000.0)
    assert cache_version("test:version") == 1000.0


def test_a_bump_moves_the_version_on_even_within_one_clock_tick(monkeypatch):
    cache.delete("test:version")
    monkeypatch.setattr(time, "time", lambda: 1000.0)
    cache_version_bump("test:version")
    assert cache_version("test:version") == 1000.0
    cache_version_bump("test:version")
    cache_version_bump("test:version")
    assert cache_version("test:version") == 1000.002
    monkeypatch.setattr(time, "time", lambda: 2000.0)
    cache_version_bump("test:version")
    assert cache_version("test:version") == 2000.0
