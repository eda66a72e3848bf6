"""With ``OCOP_FILE_STORAGE=s3`` the web processes keep no files: private documents and public photos go to their
buckets on an S3-compatible endpoint (moto's server on loopback) and come back through the same views."""

import datetime
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apps.core.backup import BackupError, backup_create
from apps.core.storage import private_storage
from apps.producers.enums import DocumentKind
from apps.producers.services import document_upload
from apps.products.services import photo_add
from tests.factories.producers import ProducerFactory, pdf_upload, png_upload
from tests.factories.products import ProductFactory
from tests.s3 import keys

pytestmark = pytest.mark.django_db


def _local_files(root):
    root = Path(root)
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_private_document_lives_in_the_private_bucket_and_downloads_through_the_view(s3, users, tree, client):
    producer = ProducerFactory(commune=tree.x)
    local_before = _local_files(settings.PRIVATE_STORAGE_ROOT)
    upload = pdf_upload("attp-s3.pdf")
    body = upload.read()
    upload.seek(0)
    document = document_upload(
        producer=producer,
        by=users.commune_x,
        kind=DocumentKind.FOOD_SAFETY,
        file=upload,
        issued_on=datetime.date(2025, 1, 2),
        expires_on=datetime.date(2028, 1, 1),
    )
    assert keys(s3.client, s3.private) == [document.file.name]
    assert keys(s3.client, s3.media) == []
    assert _local_files(settings.PRIVATE_STORAGE_ROOT) == local_before
    with pytest.raises(ValueError, match="no public URL"):
        private_storage.url(document.file.name)

    client.force_login(users.commune_x)
    response = client.get(reverse("producers:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body


def test_a_refused_download_reads_nothing_from_the_bucket(s3, users, tree, client):
    producer = ProducerFactory(commune=tree.z)
    document = document_upload(
        producer=producer,
        by=users.admin,
        kind=DocumentKind.FOOD_SAFETY,
        file=pdf_upload("attp-khac.pdf"),
        issued_on=datetime.date(2025, 1, 2),
        expires_on=datetime.date(2028, 1, 1),
    )
    client.force_login(users.commune_x)
    assert client.get(reverse("producers:document_download", args=[document.pk])).status_code in (403, 404)
    assert keys(s3.client, s3.private) == [document.file.name]


def test_a_product_photo_and_its_thumbnail_are_public_objects_of_the_media_bucket(s3, users, tree):
    product = ProductFactory(producer=ProducerFactory(commune=tree.x))
    photo = photo_add(product=product, by=users.commune_x, image=png_upload("anh-s3.png", size=(900, 600)))
    assert keys(s3.client, s3.media) == sorted([photo.image.name, photo.thumbnail.name])
    assert keys(s3.client, s3.private) == []
    url = photo.thumbnail.url
    assert url.startswith(f"{s3.endpoint}/{s3.media}/products/thumbs/")
    assert "Signature" not in url and "X-Amz" not in url  # plain, cacheable URL for a public file
    with urllib.request.urlopen(url, timeout=10) as served:  # noqa: S310 — the loopback endpoint of this test
        assert served.read()[:3] == b"\xff\xd8\xff"  # the JPEG thumbnail


def test_make_backup_refuses_to_write_a_backup_without_the_files_of_object_storage(settings, tmp_path):
    settings.OCOP_FILE_STORAGE = "s3"
    with pytest.raises(BackupError, match="object storage"):
        backup_create(output=tmp_path / "backup")
    assert not (tmp_path / "backup").exists()
