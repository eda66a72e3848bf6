"""``/healthz`` and ``/readyz``: each dependency reported; only the database and storage make the portal unready."""

import json

import pytest
from django.utils.functional import empty

from apps.core.storage import private_storage
from tests.faults.conftest import celery_broker, spare_port

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_every_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"},
    }


def test_readyz_with_the_broker_down_is_degraded_but_ready(client):
    with celery_broker(f"redis://127.0.0.1:{spare_port()}/0"):
        response = client.get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["broker"].startswith("unavailable")
    assert body["checks"]["database"] == "ok"


def test_readyz_with_the_cache_down_is_degraded_but_ready(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.FailoverRedisCache",
            "LOCATION": f"redis://127.0.0.1:{spare_port()}/1",
            "OPTIONS": {"socket_connect_timeout": 0.2, "RETRY_AFTER": 30},
        }
    }
    response = client.get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["checks"]["cache"].startswith("unavailable")
    assert body["status"] == "degraded"


@pytest.fixture
def unwritable_storage(settings, tmp_path):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("x")
    settings.PRIVATE_STORAGE_ROOT = blocked
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


def test_readyz_with_unwritable_storage_is_unready(client, unwritable_storage):
    response = client.get("/readyz")
    assert json.loads(response.content)["checks"]["storage"].startswith("unavailable")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
