"""The test suite: always PostgreSQL and Redis on 127.0.0.1 (see ``make test``)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-ocop-portal")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/2")
os.environ.setdefault("OCOP_REQUIRE_MFA", "false")
# Tests of sensitive views log in with force_login (no password entered); tests/security turn this back on.
os.environ.setdefault("OCOP_REAUTHENTICATE_SENSITIVE", "false")
os.environ.setdefault("OCOP_PRIVATE_STORAGE_ROOT", "/tmp/ocop-test-private")
os.environ.setdefault("DJANGO_MEDIA_ROOT", "/tmp/ocop-test-media")


def _per_worker(worker):
    """Under pytest-xdist each worker (gw0, gw1, …) gets its own Redis dbs and file folders; pytest-django already
    gives it its own database (test_ocop_gw0 …). Worker k uses the environment's two Redis dbs shifted by 2·k
    (bases 1,2: gw0 → 1,2, gw1 → 3,4), so helpers and CI with other bases keep apart."""
    k = int(worker.removeprefix("gw"))
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ[name]:  # empty: process memory / eager tasks, nothing shared
            base, _, db = os.environ[name].rpartition("/")
            os.environ[name] = f"{base}/{int(db or 0) + 2 * k}"
    for name in ("OCOP_PRIVATE_STORAGE_ROOT", "DJANGO_MEDIA_ROOT"):
        os.environ[name] = f"{os.environ[name].rstrip('/')}-{worker}"


# Only once per process: a celery worker started by a test inherits the already shifted variables.
if os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw") and not os.environ.get("OCOP_TEST_WORKER_SHIFTED"):
    _per_worker(os.environ["PYTEST_XDIST_WORKER"])
    os.environ["OCOP_TEST_WORKER_SHIFTED"] = "1"

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Memory, unless a test runs processes against a real SMTP server of its own (tests/faults/test_smtp_down.py).
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
CACHES["default"]["KEY_PREFIX"] = "ocop-test"  # noqa: F405
