"""The release named in the keys of rendered pages: a deploy never serves what the previous code rendered."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from apps.catalog import cache as catalog_cache
from apps.core import release as release_module
from apps.traceability import cache as trace_cache


@pytest.fixture
def source(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "apps" / "x" / "__pycache__").mkdir(parents=True)
    (tmp_path / "ocop_portal").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>{{ a }}</p>")
    (tmp_path / "apps" / "x" / "views.py").write_text("def v(): ...\n")
    return tmp_path


def test_the_digest_follows_templates_and_code_and_nothing_else(source):
    first = release_module.source_digest(source)
    assert first == release_module.source_digest(source)  # the same source, the same name (replicas share)
    (source / "apps" / "x" / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"\0")
    (source / "apps" / "x" / "notes.md").write_text("not rendered")
    assert release_module.source_digest(source) == first
    (source / "templates" / "page.html").write_text("<p>{{ a }}!</p>")
    second = release_module.source_digest(source)
    assert second != first
    (source / "apps" / "x" / "views.py").write_text("def v(): return 1\n")
    assert release_module.source_digest(source) not in (first, second)


def test_the_setting_names_the_release_when_the_deploy_knows_it(settings):
    release_module.release.cache_clear()
    settings.OCOP_RELEASE = "a1b2c3d"
    try:
        assert release_module.release() == "a1b2c3d"
    finally:
        release_module.release.cache_clear()


def _switch_release(monkeypatch, name):
    monkeypatch.setattr(catalog_cache, "release", lambda: name)
    monkeypatch.setattr(trace_cache, "release", lambda: name)


def test_keys_of_rendered_pages_name_the_release(monkeypatch):
    today = datetime.date(2026, 12, 3)
    _switch_release(monkeypatch, "old")
    old = (catalog_cache.cache_key("card", today, pk=1), trace_cache.page_key(path="/t/x/", language="vi", today=today))
    _switch_release(monkeypatch, "new")
    new = (catalog_cache.cache_key("card", today, pk=1), trace_cache.page_key(path="/t/x/", language="vi", today=today))
    assert all(o != n and ":old:" in o and ":new:" in n for o, n in zip(old, new, strict=True))


@pytest.mark.django_db
def test_a_page_cached_by_the_previous_release_is_not_served(monkeypatch, settings):
    """The public page cache: the same URL after a deploy renders anew instead of serving the old bytes."""
    settings.OCOP_PUBLIC_PAGE_CACHE = True
    client = Client()
    _switch_release(monkeypatch, "old")
    assert client.get("/thong-ke/").status_code == 200
    page_keys = [k for k in _keys() if ":page:old:" in k]
    assert page_keys, "the first request cached its page under the old release"
    _switch_release(monkeypatch, "new")
    assert client.get("/thong-ke/").status_code == 200
    assert [k for k in _keys() if ":page:new:" in k], "after the deploy the page was rendered and cached anew"


def _keys():
    client = cache._cache.get_client()
    return [k.decode() for k in client.keys(cache.make_key("catalog:page:*"))]
