"""Fixtures for the certificates tests: decisions with products, and a real Celery worker process."""

import hashlib
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils.functional import empty

from apps.certificates.models import Certificate
from apps.certificates.services import certificates_create_for_decision
from apps.core.enums import RenderState
from apps.core.storage import private_storage
from tests.factories.certificates import decision_with_products
from tests.worker import Worker, nfc, pdf_text, purge_broker, wait_until

__all__ = ["Worker", "nfc", "pdf_text", "purge_broker", "wait_until"]  # the certificate tests import them from here


@pytest.fixture
def issue(tree):
    """Issue certificates for ``count`` products of commune X, decided by province P. Returns the certificates."""

    def make(count=1, **kw):
        kw.setdefault("issuing_unit", tree.p)
        kw.setdefault("commune", tree.x)
        decision = decision_with_products(count=count, **kw)
        return decision, certificates_create_for_decision(decision=decision)

    return make


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
