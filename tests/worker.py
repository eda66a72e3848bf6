"""A real Celery worker process for integration tests, and helpers to wait for it and read its PDFs back."""

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import redis
from django.conf import settings
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]


class Worker:
    """``celery -A ocop_portal worker`` in its own process group, on the test database and our broker db."""

    def __init__(self, extra_env=None):
        db = settings.DATABASES["default"]
        user = db.get("USER") or "postgres"
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.test",
            "DATABASE_URL": f"postgres://{user}@{host}:{port}/{db['NAME']}",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "REDIS_URL": settings.REDIS_URL,
            "OCOP_PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
            "OCOP_SITE_DOMAIN": settings.SITE_DOMAIN,
            "OCOP_SITE_SCHEME": settings.SITE_SCHEME,
            **(extra_env or {}),
        }
        self.process = None

    def start(self):
        celery = str(Path(sys.executable).with_name("celery"))
        # The worker's log, for when a test fails: <tmp>/ocop-certificates-worker-<pid>.log
        self.log = open(Path(tempfile.gettempdir()) / f"ocop-certificates-worker-{os.getpid()}.log", "ab")
        self.process = subprocess.Popen(
            [
                celery,
                "-A",
                "ocop_portal",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"certificates-test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self):
        """SIGKILL the whole worker (main process and pool children): nothing gets to clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()


def purge_broker():
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def wait_until(predicate, timeout=30, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def nfc(text):
    return unicodedata.normalize("NFC", text)


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), nfc("\n".join(page.extract_text() for page in reader.pages))
