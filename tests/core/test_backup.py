"""``make backup`` / ``make restore``: a backup restored into a fresh database has the same rows and files, and a
restored certificate still verifies."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from apps.certificates.models import Certificate
from apps.core.storage import private_storage
from tests.factories.catalog import certified_product

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
VERIFY = """
import django; django.setup()
from django.test.utils import setup_test_environment; setup_test_environment()
from django.test import Client
page = Client().get("/xac-thuc/%s/")
print(page.status_code, "còn hiệu lực" in page.content.decode() or "is in force" in page.content.decode())
"""


def _env(database, private, media):
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{database}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.test",
        "DATABASE_URL": url,
        "OCOP_PRIVATE_STORAGE_ROOT": str(private),
        "DJANGO_MEDIA_ROOT": str(media),
    }


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def restored_database():
    name = f"ocop_restore_{uuid.uuid4().hex[:8]}"
    yield name
    db = settings.DATABASES["default"]
    admin = psycopg2.connect(
        host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432, user="postgres", dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(tree, tmp_path, restored_database):
    product = certified_product(commune=tree.x, stars=4, name="Mật ong bạc hà Đồng Văn")
    cert = Certificate.objects.get(product=product)
    cert.file.save(f"certificates/test/{cert.serial}.pdf", ContentFile(b"%PDF-1.4 certificate"), save=True)
    assert private_storage.exists(cert.file.name)
    source_env = _env(settings.DATABASES["default"]["NAME"], settings.PRIVATE_STORAGE_ROOT, settings.MEDIA_ROOT)
    backup = tmp_path / "backup"

    out = _manage(source_env, "backup", "--output", str(backup))
    assert "Backup written to" in out
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["rows"]["certificates_certificate"] == 1
    assert cert.file.name in manifest["files"]["private"]

    target_env = _env(restored_database, tmp_path / "restored-private", tmp_path / "restored-media")
    out = _manage(target_env, "restore", str(backup))
    assert "Restored and verified" in out
    assert (tmp_path / "restored-private" / cert.file.name).read_bytes() == b"%PDF-1.4 certificate"

    result = subprocess.run(
        [sys.executable, "-c", VERIFY % cert.token], cwd=ROOT, env=target_env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["200", "True"], result.stderr[-2000:]


def test_restore_refuses_a_database_that_is_not_empty(tree, tmp_path):
    certified_product(commune=tree.x)
    env = _env(settings.DATABASES["default"]["NAME"], settings.PRIVATE_STORAGE_ROOT, settings.MEDIA_ROOT)
    _manage(env, "backup", "--output", str(tmp_path / "b"))
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "b")],
        cwd=ROOT,
        env={**env, "OCOP_PRIVATE_STORAGE_ROOT": str(tmp_path / "p2"), "DJANGO_MEDIA_ROOT": str(tmp_path / "m2")},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "is not empty" in result.stderr
    assert Certificate.objects.count() == 1
