"""Stamp label PDFs are assembled from parts read through the storage API, so generation works on object storage."""

import io

import pytest
from pypdf import PdfReader

from apps.traceability import labels, services
from apps.traceability.enums import BatchState
from tests.s3 import keys

from .conftest import make_batch

pytestmark = pytest.mark.django_db


def test_a_batch_generated_on_object_storage_has_its_pdfs_and_csv_in_the_private_bucket(s3, world, users):
    batch = make_batch(world, users, 12, state=BatchState.APPROVED)
    assert services.stamp_batch_generate(batch_id=batch.pk) == "ready"
    batch.refresh_from_db()
    stored = keys(s3.client, s3.private)
    assert {batch.sheet_pdf.name, batch.roll_pdf.name, batch.codes_csv.name} <= set(stored)
    codes = [labels.printed_code(s.code) for s in batch.stamps.order_by("serial")]
    for field in (batch.sheet_pdf, batch.roll_pdf):
        body = s3.client.get_object(Bucket=s3.private, Key=field.name)["Body"].read()
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
        assert [code for code in codes if code in text] == codes
    rows = s3.client.get_object(Bucket=s3.private, Key=batch.codes_csv.name)["Body"].read().decode("utf-8-sig")
    assert len(rows.strip().splitlines()) == 13  # header + 12 stamps
