"""Generating a batch: codes in bulk, label PDFs (QR codes that decode to the scan page), CSV, idempotence,
a batch handed on across tasks, and a killed worker's batch taken over."""

import csv
import io
import subprocess
from datetime import timedelta

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apps.core.storage import private_storage
from apps.traceability import labels, services
from apps.traceability.enums import BatchState
from apps.traceability.models import Stamp, StampBatch

from .conftest import make_batch

pytestmark = pytest.mark.django_db


def _pdf(field):
    return private_storage.open(field.name, "rb").read()


def test_generation_makes_n_stamps_two_pdfs_and_a_csv(ready_batch):
    assert ready_batch.state == BatchState.READY
    stamps = list(ready_batch.stamps.order_by("serial"))
    assert [s.serial for s in stamps] == list(range(1, 11))
    sheet = PdfReader(io.BytesIO(_pdf(ready_batch.sheet_pdf)))
    assert len(sheet.pages) == 1
    assert round(float(sheet.pages[0].mediabox.width) / 72 * 25.4) == 210
    text = sheet.pages[0].extract_text()
    assert labels.printed_code(stamps[0].code) in text and "OCOP" in text
    roll = PdfReader(io.BytesIO(_pdf(ready_batch.roll_pdf)))
    assert len(roll.pages) == 1
    rows = list(csv.reader(io.StringIO(_pdf(ready_batch.codes_csv).decode("utf-8-sig"))))
    assert rows[0] == labels.CSV_HEADER
    assert [r[1] for r in rows[1:]] == [s.code for s in stamps]
    assert rows[1][2] == labels.short_url(stamps[0].code)


def test_second_run_changes_nothing(ready_batch):
    files = (ready_batch.sheet_pdf.name, ready_batch.roll_pdf.name, ready_batch.codes_csv.name)
    assert services.stamp_batch_generate(batch_id=ready_batch.pk) == "skipped"
    ready_batch.refresh_from_db()
    assert Stamp.objects.filter(batch=ready_batch).count() == 10
    assert (ready_batch.sheet_pdf.name, ready_batch.roll_pdf.name, ready_batch.codes_csv.name) == files
    pdfs = [p for p in private_storage.listdir(f"traceability/batches/{ready_batch.pk}")[1] if p.endswith(".pdf")]
    assert sorted(pdfs) == sorted(n.rsplit("/", 1)[-1] for n in files[:2])


def test_codes_are_inserted_one_query_per_thousand(world, users):
    batch = make_batch(world, users, 2500, state=BatchState.GENERATING)
    StampBatch.objects.filter(pk=batch.pk).update(claim="00000000-0000-0000-0000-000000000001")
    with CaptureQueriesContext(connection) as ctx:
        services._create_codes(batch, "00000000-0000-0000-0000-000000000001")
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "traceability_stamp"')]
    assert len(inserts) == 3
    assert Stamp.objects.filter(batch=batch).count() == 2500


def test_hundred_thousand_codes_in_a_hundred_inserts(world, users):
    batch = make_batch(world, users, 100_000, state=BatchState.APPROVED)
    claim = services._claim(batch.pk)
    with CaptureQueriesContext(connection) as ctx:
        services._create_codes(batch, claim)
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "traceability_stamp"')]
    assert len(inserts) == 100
    assert batch.stamps.count() == 100_000
    assert batch.stamps.values("code").distinct().count() == 100_000
    per_part, parts = services._parts(batch)
    assert (per_part, parts) == (1300, 77)  # 20 A4 sheets per part


def test_large_batch_is_handed_on_and_resumes(world, users, settings, django_capture_on_commit_callbacks):
    settings.OCOP_STAMP_LABELS_PER_PART = 65
    settings.OCOP_STAMP_TASK_BUDGET_SECONDS = 0  # hand on after every part
    batch = make_batch(world, users, 140, state=BatchState.APPROVED)
    runs = []
    for _ in range(3):
        with django_capture_on_commit_callbacks() as callbacks:
            runs.append(services.stamp_batch_generate(batch_id=batch.pk))
        assert len(callbacks) == (1 if runs[-1] == "continued" else 0)  # the next task is queued
    batch.refresh_from_db()
    assert runs == ["continued", "continued", "ready"]
    assert batch.stamps.count() == 140
    assert len(PdfReader(io.BytesIO(_pdf(batch.sheet_pdf))).pages) == 3
    assert not private_storage.exists(f"traceability/batches/{batch.pk}/parts/sheet-00000.pdf")


def test_killed_worker_batch_is_taken_over_after_it_goes_stale(
    world, users, settings, django_capture_on_commit_callbacks
):
    settings.OCOP_STAMP_STALE_SECONDS = 60
    batch = make_batch(world, users, 30, state=BatchState.APPROVED)
    # A worker claimed it, made some codes and died: its heartbeat stops.
    claim = services._claim(batch.pk)
    batch.refresh_from_db()
    services._create_codes(batch, claim)
    assert services.stamp_batch_generate(batch_id=batch.pk) == "skipped"  # still fresh: not taken twice
    StampBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.stamp_batches_requeue_stuck() == 1
    assert len(callbacks) == 1
    assert services.stamp_batch_generate(batch_id=batch.pk) == "ready"
    batch.refresh_from_db()
    assert batch.state == BatchState.READY and batch.attempts == 2
    assert batch.stamps.count() == 30
    # The dead worker's claim no longer owns the row.
    assert not services._mine(batch.pk, claim).exists()


def test_short_url_qr_is_version_4_or_lower(settings):
    settings.SITE_DOMAIN, settings.SITE_SCHEME = "ocop.quangninh.gov.vn", "https"
    for _ in range(50):
        url = labels.short_url(services.new_stamp_code())
        assert url.startswith("https://ocop.quangninh.gov.vn/t/")
        assert labels.qr_code(url).version <= 4


def test_gtin_product_stamps_carry_a_digital_link(world, users, settings):
    settings.SITE_DOMAIN, settings.SITE_SCHEME = "ocop.quangninh.gov.vn", "https"
    world.product.gtin = "8934673573337"
    world.product.save(update_fields=["gtin"])
    url = labels.stamp_url("ABCDEFGHJKMNP", gtin=world.product.gtin, lot_code=world.lot.code)
    assert url == "https://ocop.quangninh.gov.vn/01/08934673573337/10/L2026-001/21/ABCDEFGHJKMNP"
    assert segno.make(url, error="m").version <= 6


def test_qr_decoded_from_the_pdf_opens_that_stamps_scan_page(ready_batch, client, tmp_path, settings):
    (tmp_path / "sheet.pdf").write_bytes(_pdf(ready_batch.sheet_pdf))
    # zbar reading a whole sheet at once now and then misses one of its many codes (a phone reads one label at a
    # time): read the page at two resolutions and keep every code found.
    found = set()
    for dpi in ("300", "450"):
        subprocess.run(
            ["pdftoppm", "-r", dpi, "-png", "-f", "1", "-l", "1", str(tmp_path / "sheet.pdf"), str(tmp_path / dpi)],
            check=True,
        )
        page = next(tmp_path.glob(f"{dpi}*.png"))
        out = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True).stdout
        found |= {line.strip() for line in out.splitlines() if line.strip()}
    urls = sorted(found)
    codes = sorted(ready_batch.stamps.values_list("code", flat=True))
    assert urls == sorted(labels.short_url(c) for c in codes)
    prefix = f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}"
    path = urls[0].removeprefix(prefix)
    assert path == reverse("trace_scan:stamp", kwargs={"code": codes[0]})
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["stamp"].code == codes[0]
    assert response.context["verdict"].genuine
