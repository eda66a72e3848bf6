"""Parallel runs (pytest-xdist): every worker gets its own Redis dbs and file folders."""

import os

from django.conf import settings

from ocop_portal.settings.test import _per_worker


def test_worker_k_shifts_both_redis_dbs_by_two_k_and_suffixes_the_folders(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/1")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("OCOP_PRIVATE_STORAGE_ROOT", "/tmp/ocop-test-private")
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", "/tmp/ocop-test-media/")
    _per_worker("gw1")
    assert os.environ["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert os.environ["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/4"
    assert os.environ["OCOP_PRIVATE_STORAGE_ROOT"] == "/tmp/ocop-test-private-gw1"
    assert os.environ["DJANGO_MEDIA_ROOT"] == "/tmp/ocop-test-media-gw1"


def test_worker_zero_keeps_the_base_dbs_and_an_empty_url_stays_empty(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/5")
    monkeypatch.setenv("CELERY_BROKER_URL", "")
    monkeypatch.setenv("OCOP_PRIVATE_STORAGE_ROOT", "/tmp/p")
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", "/tmp/m")
    _per_worker("gw0")
    assert os.environ["REDIS_URL"] == "redis://127.0.0.1:6379/5"
    assert os.environ["CELERY_BROKER_URL"] == ""
    assert os.environ["OCOP_PRIVATE_STORAGE_ROOT"] == "/tmp/p-gw0"


def test_this_run_uses_the_folders_and_dbs_of_its_worker():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:  # a serial run: the environment's values as they are
        assert os.environ["REDIS_URL"] == settings.REDIS_URL
        return
    assert str(settings.PRIVATE_STORAGE_ROOT).endswith(f"-{worker}")
    assert str(settings.MEDIA_ROOT).endswith(f"-{worker}")
    # Shifted once, in this process, before the settings were read (a Celery worker started by a test inherits it).
    assert os.environ["OCOP_TEST_WORKER_SHIFTED"] == "1"
    assert os.environ["REDIS_URL"] == settings.REDIS_URL
    assert os.environ["CELERY_BROKER_URL"] == settings.CELERY_BROKER_URL
