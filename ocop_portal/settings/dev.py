"""Local development: ``make run``. SQLite unless DATABASE_URL is set; tasks in-process unless a broker is set."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-ocop-portal")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("OCOP_REQUIRE_MFA", "false")

from .base import *  # noqa: F403

# The embedded SQLite file and private uploads live in var/ (git-ignored).
(BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
