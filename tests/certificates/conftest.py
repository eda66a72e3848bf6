"""Fixtures for the certificates tests: decisions with products, and a real Celery worker process."""

import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.test import override_settings
from django.utils.functional import empty
from pypdf import PdfReader

from apps.certificates.enums import RenderState
from apps.certificates.models import Certificate
from apps.certificates.services import certificates_create_for_decision
from apps.core.storage import private_storage
from tests.factories.certificates import decision_with_products

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def issue(tree):
    """Issue certificates for ``count`` products of commune X, decided by province P. Returns the certificates."""

    def make(count=1, **kw):
        kw.setdefault("issuing_unit", tree.p)
        kw.setdefault("commune", tree.x)
        decision = decision_with_products(count=count, **kw)
        return decision, certificates_create_for_decision(decision=decision)

    return make


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


@pytest.fixture(scope="module")
def worker(django_db_setup, own_private_storage):
    """One worker for a whole test module (starting one costs seconds); killed at the end of the module."""
    purge_broker()
    w = Worker().start()
    yield w
    w.kill()
    purge_broker()


@pytest.fixture
def worker_factory(django_db_setup, transactional_db):
    """Start workers on demand; every one is killed (and the broker emptied) at the end of the test."""
    purge_broker()
    workers = []

    def start(extra_env=None):
        workers.append(Worker(extra_env).start())
        return workers[-1]

    yield start
    for w in workers:
        w.kill()
    purge_broker()


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


def all_ready(ids, count):
    return Certificate.objects.filter(pk__in=ids, render_state=RenderState.READY).count() == count


@pytest.fixture(scope="module", autouse=True)
def own_private_storage(tmp_path_factory):
    """A private storage root of our own: other suites running at the same time share the default one."""
    root = tmp_path_factory.mktemp("certificates-private")
    with override_settings(PRIVATE_STORAGE_ROOT=str(root)):
        private_storage._wrapped = empty  # the lazy storage reads the setting again
        yield root
    private_storage._wrapped = empty


@pytest.fixture(autouse=True)
def clean_certificate_files(own_private_storage):
    """Files are named after serials, which repeat from test to test: start each test with none."""
    shutil.rmtree(own_private_storage / "certificates", ignore_errors=True)


def stored_certificate_files():
    return sorted(p.name for p in (Path(settings.PRIVATE_STORAGE_ROOT) / "certificates").glob("*/*.pdf"))


def assert_each_rendered_once_and_intact(certs):
    for cert in certs:
        cert.refresh_from_db()
        assert cert.render_state == RenderState.READY
        data = private_storage.open(cert.file.name, "rb").read()
        assert hashlib.sha256(data).hexdigest() == cert.checksum
        pages, text = pdf_text(data)
        assert pages == 1
        assert nfc(cert.product.name) in text
        assert cert.serial in text
