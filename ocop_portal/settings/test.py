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

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"]["KEY_PREFIX"] = "ocop-test"  # noqa: F405
