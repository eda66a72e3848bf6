"""Generating a batch: codes in bulk, label PDFs (QR codes that decode to the scan page), CSV, idempotence,
a batch handed on across tasks, and a killed worker's batch taken over."""

import csv
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
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
    settings.OCOP_STAMP_LABELS_PER_PART = 130  # two A4 sheets, thirteen roll pages
    settings.OCOP_STAMP_TASK_BUDGET_SECONDS = 0  # hand on after every part
    batch = make_batch(world, users, 300, state=BatchState.APPROVED)
    runs = []
    for _ in range(3):
        with django_capture_on_commit_callbacks() as callbacks:
            runs.append(services.stamp_batch_generate(batch_id=batch.pk))
        assert len(callbacks) == (1 if runs[-1] == "continued" else 0)  # the next task is queued
    batch.refresh_from_db()
    assert runs == ["continued", "continued", "ready"]
    assert batch.stamps.count() == 300
    sheet, roll = (PdfReader(io.BytesIO(_pdf(f))) for f in (batch.sheet_pdf, batch.roll_pdf))
    assert (len(sheet.pages), len(roll.pages)) == (5, 30)  # only the last page of each is partly filled
    codes = list(batch.stamps.order_by("serial").values_list("code", flat=True))
    assert labels.printed_code(codes[129]) in sheet.pages[1].extract_text()  # part 1 ends on sheet 2
    assert labels.printed_code(codes[130]) in sheet.pages[2].extract_text()  # part 2 starts on sheet 3
    assert labels.printed_code(codes[299]) in roll.pages[29].extract_text()
    assert private_storage.listdir(f"traceability/batches/{batch.pk}/parts")[1] == []


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
        assert len(labels.qr_rows(url)) <= 33  # version 4


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


PRINTED = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}$")


def _labels_read_back(pdf_path, page, layout, tmp_path, dpi=300):
    """Each printed code on ``page`` (from pdftotext's word boxes) with what zbar decodes from the QR code of the
    label it sits in: the label's cell is cropped from the rendered page and read on its own, as a phone would."""
    spec = labels.PAGES[layout]
    (left, top), columns = spec["origin"], spec["columns"]
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', html)
    codes = [(float(x), float(y), text) for x, y, text in words if PRINTED.match(text)]
    assert codes, "no printed code found on the page"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), str(pdf_path), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png")))
    scale = dpi / 72
    crops = []
    for i, (x, y, _text) in enumerate(codes):
        column, row = int((x - left) // labels.LABEL_W), int((y - top) // labels.LABEL_H)
        assert column < columns
        box = (left + column * labels.LABEL_W, top + row * labels.LABEL_H)
        cell = (box[0], box[1], box[0] + labels.LABEL_W, box[1] + labels.LABEL_H)
        path = tmp_path / f"label-{i:03d}.png"
        image.crop(tuple(round(v * scale) for v in cell)).save(path)
        crops.append(path)
    out = subprocess.run(["zbarimg", "--xml", "-q", *map(str, crops)], capture_output=True, text=True).stdout
    ns = {"z": "http://zbar.sourceforge.net/2008/barcode"}
    decoded = {
        source.get("href"): [d.text for d in source.iterfind(".//z:data", ns)]
        for source in ET.fromstring(out).iterfind("z:source", ns)  # noqa: S314 - zbarimg's report on our own crops
    }
    return [(text, decoded.get(str(path), [])) for (_x, _y, text), path in zip(codes, crops, strict=True)]


@pytest.mark.parametrize("layout", ["sheet", "roll"])
def test_every_label_qr_opens_the_stamp_of_the_code_printed_beside_it(world, users, tmp_path, layout):
    batch = make_batch(world, users, 70, state=BatchState.APPROVED)
    assert services.stamp_batch_generate(batch_id=batch.pk) == "ready"
    batch.refresh_from_db()
    path = tmp_path / f"{layout}.pdf"
    path.write_bytes(_pdf(getattr(batch, f"{layout}_pdf")))
    reader = PdfReader(path)
    assert len(reader.pages) == {"sheet": 2, "roll": 7}[layout]
    page_labels = {"sheet": 65, "roll": 10}[layout]
    read = _labels_read_back(path, 1, layout, tmp_path)
    stamps = list(batch.stamps.order_by("serial")[:page_labels])
    assert [printed for printed, _urls in read] == [labels.printed_code(s.code) for s in stamps]
    for printed, urls in read:
        assert urls == [labels.short_url(printed.replace("-", ""))], printed
    # The last page holds the rest: 5 labels on the second sheet, 10 on the seventh roll page.
    last = reader.pages[-1].extract_text()
    assert len(re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}\b", last)) == {"sheet": 5, "roll": 10}[layout]


def test_label_text_reads_back_with_vietnamese_diacritics(world, users):
    world.product.name = "Trà hoa vàng Ba Chẽ — đặc sản Quảng Ninh"
    world.product.save(update_fields=["name"])
    batch = make_batch(world, users, 3, state=BatchState.APPROVED)
    assert services.stamp_batch_generate(batch_id=batch.pk) == "ready"
    batch.refresh_from_db()
    for field in ("sheet_pdf", "roll_pdf"):
        text = PdfReader(io.BytesIO(_pdf(getattr(batch, field)))).pages[0].extract_text()
        assert text.count("OCOP") == 3
        assert text.count("★★★★☆") == 3  # the 4★ certificate
        assert text.count("Trà hoa vàng Ba Chẽ") == 3
        assert "đặc sản" in text  # the second line of the name
        for stamp in batch.stamps.all():
            assert labels.printed_code(stamp.code) in text


def test_a_long_product_name_is_cut_to_two_lines_with_an_ellipsis():
    document = labels.LabelDocument(product_name="Nước mắm " * 12, stars=None)
    assert len(document.name_lines) == 2
    assert document.name_lines[0].startswith("Nước mắm")
    assert document.name_lines[-1].endswith("…")
    assert all(document.text.width(line, labels.NAME_SIZE) <= labels.TEXT_W for line in document.name_lines)
    assert document.stars == ""


def test_stamp_url_maker_builds_the_same_urls_as_stamp_url(settings):
    settings.SITE_DOMAIN, settings.SITE_SCHEME = "ocop.quangninh.gov.vn", "https"
    code = services.new_stamp_code()
    for gtin, lot in (("", ""), ("8934673573337", ""), ("8934673573337", "L2026-01&A%")):
        assert labels.stamp_url_maker(gtin=gtin, lot_code=lot)(code) == labels.stamp_url(code, gtin=gtin, lot_code=lot)


def test_gtin_product_labels_decode_to_their_digital_links(world, users, tmp_path):
    world.product.gtin = "8934673573337"
    world.product.save(update_fields=["gtin"])
    batch = make_batch(world, users, 5, state=BatchState.APPROVED)
    assert services.stamp_batch_generate(batch_id=batch.pk) == "ready"
    batch.refresh_from_db()
    path = tmp_path / "sheet.pdf"
    path.write_bytes(_pdf(batch.sheet_pdf))
    read = _labels_read_back(path, 1, "sheet", tmp_path)
    codes = list(batch.stamps.order_by("serial").values_list("code", flat=True))
    assert [printed for printed, _urls in read] == [labels.printed_code(c) for c in codes]
    assert [urls for _printed, urls in read] == [
        [labels.stamp_url(c, gtin=world.product.gtin, lot_code=world.lot.code)] for c in codes
    ]
    assert all("/01/08934673573337/10/L2026-001/21/" in urls[0] for _printed, urls in read)
