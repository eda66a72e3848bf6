"""The public scan page: what a shopper sees, each scan recorded, counterfeit signals at their boundaries."""

import datetime
import io
import math
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.catalog.models import PointOfSale
from apps.certificates.services import certificate_revoke
from apps.products.models import ProductPhoto
from apps.traceability import counterfeit, services
from apps.traceability.enums import BatchState, EventKind, Signal
from apps.traceability.models import FakeReport, Lot, LotEvent, SiteCertification, Stamp, StampScan
from tests.factories.producers import png_upload

pytestmark = pytest.mark.django_db


def _url(stamp):
    return reverse("trace_scan:stamp", kwargs={"code": stamp.code})


@pytest.fixture
def stamp(ready_batch):
    return ready_batch.stamps.order_by("serial").first()


def test_genuine_stamp_shows_the_official_record(stamp, world, client, tree):
    SiteCertification.objects.create(
        site=world.site, kind="vietgap", number="VG-123", valid_until=datetime.date(2099, 1, 1)
    )
    LotEvent.objects.create(
        lot=world.lot, kind=EventKind.HARVEST, occurred_at=timezone.now(), site=world.site, actor="Tổ hái chè"
    )
    point = PointOfSale.objects.create(
        name="Điểm OCOP Hạ Long", slug="diem-ocop-ha-long", unit=tree.p, address="Bãi Cháy"
    )
    point.products.add(world.product)
    response = client.get(_url(stamp), REMOTE_ADDR="203.113.45.67")
    assert response.status_code == 200
    assert response.context["verdict"].genuine
    html = response.content.decode()
    assert "Tem OCOP chính thức" in html or "Genuine OCOP stamp" in html
    for text in (
        world.product.name,
        world.product.producer.name,
        "Đồi chè Khe Lạc",
        "VG-123",
        "Tổ hái chè",
        "Điểm OCOP Hạ Long",
        "L2026-001",
    ):
        assert text in html
    assert services.scans_flush() == 1  # the scan waited in the Redis buffer
    scan = StampScan.objects.get(stamp=stamp)
    assert scan.ip_prefix == "203.113.45.0/24" and scan.signals == ""
    stamp.refresh_from_db()
    assert stamp.scan_count == 1 and stamp.first_scanned_at is not None


def test_english_page(stamp, client):
    response = client.get("/en" + _url(stamp))
    assert response.status_code == 200
    assert "Genuine OCOP stamp" in response.content.decode()


def test_head_request_is_not_counted(stamp, client):
    assert client.head(_url(stamp)).status_code == 200
    assert services.scans_flush() == 0
    assert StampScan.objects.count() == 0


def test_typed_code_with_dashes_redirects_to_the_stamp(stamp, client):
    typed = f"{stamp.code[:4]}-{stamp.code[4:8]}-{stamp.code[8:]}".lower()
    response = client.get(reverse("trace_scan:stamp", kwargs={"code": typed}))
    assert response.status_code == 302 and response["Location"] == _url(stamp)
    response = client.get(reverse("trace_scan:enter_code"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == _url(stamp)


@pytest.mark.parametrize("code", ["ZZZZZZZZZZZZZ", "x" * 40, "abc"])
def test_unknown_code_gets_the_firm_page(db, client, code):
    response = client.get(reverse("trace_scan:stamp", kwargs={"code": code}))
    assert response.status_code == 404
    assert "traceability/scan_unknown.html" in [t.name for t in response.templates]
    assert services.scans_flush() == 0
    assert StampScan.objects.count() == 0


def test_voided_stamp_warns(stamp, client, users):
    services.stamps_void_range(batch=stamp.batch, first=1, last=1, reason="Mất cuộn tem", by=users.producer)
    response = client.get(_url(stamp))
    assert response.context["verdict"].signals == [Signal.VOIDED]
    assert "Mất cuộn tem" in response.content.decode()
    services.scans_flush()
    assert StampScan.objects.get(stamp=stamp).signals == Signal.VOIDED


def test_voided_batch_warns(stamp, client, users):
    services.stamp_batch_transition(batch=stamp.batch, to=BatchState.VOIDED, by=users.producer, reason="Lô bị thu hồi")
    assert Signal.VOIDED in client.get(_url(stamp)).context["verdict"]


def test_revoked_certificate_warns(stamp, client, world, users):
    certificate_revoke(certificate=world.certificate, reason="Vi phạm chất lượng", by=users.province)
    response = client.get(_url(stamp))
    assert response.context["verdict"].signals == [Signal.CERTIFICATE_INVALID]
    assert response.context["status"] == "revoked"


def test_expired_certificate_warns(stamp, client, world):
    type(world.certificate).objects.filter(pk=world.certificate.pk).update(
        valid_from=datetime.date(2020, 1, 1), valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client.get(_url(stamp)).context["verdict"].signals == [Signal.CERTIFICATE_INVALID]


def test_expired_lot_warns(stamp, client, world):
    Lot.objects.filter(pk=world.lot.pk).update(
        produced_on=datetime.date(2024, 1, 1), expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client.get(_url(stamp))
    assert response.context["verdict"].signals == [Signal.LOT_EXPIRED]


def test_lot_expiring_today_is_still_fine(stamp, client, world):
    Lot.objects.filter(pk=world.lot.pk).update(expires_on=timezone.localdate())
    assert client.get(_url(stamp)).context["verdict"].genuine


def test_scan_count_boundary(stamp, client, settings):
    settings.OCOP_STAMP_SCAN_LIMIT = 3
    Stamp.objects.filter(pk=stamp.pk).update(scan_count=2)
    assert client.get(_url(stamp)).context["verdict"].genuine  # the 3rd scan: at the limit
    response = client.get(_url(stamp))  # the 4th: over it
    assert response.context["verdict"].signals == [Signal.TOO_MANY_SCANS]
    assert "đã được quét 4 lần" in response.content.decode()


def test_warning_names_the_provinces(stamp, client, settings):
    settings.OCOP_STAMP_SCAN_LIMIT = 3
    for i, region in enumerate(["Quảng Ninh", "Hà Nội", "Hải Phòng", "Quảng Ninh"]):
        StampScan.objects.create(
            stamp=stamp, region=region, scanned_at=timezone.now() - datetime.timedelta(days=10 - i)
        )
    Stamp.objects.filter(pk=stamp.pk).update(scan_count=4)
    html = client.get(_url(stamp)).content.decode()
    assert "Tem này đã được quét 5 lần ở 3 tỉnh — có thể là tem giả" in html


def _at(lat, lon, when):
    return SimpleNamespace(latitude=Decimal(str(lat)), longitude=Decimal(str(lon)), scanned_at=when)


def test_distance_rule_boundaries(settings):
    settings.OCOP_STAMP_MIN_DISTANCE_KM = 50
    settings.OCOP_STAMP_MAX_SPEED_KMH = 300
    t0 = timezone.now()
    hanoi = _at(21.03, 105.85, t0)
    # Hà Nội → Hạ Long is about 125 km.
    km = counterfeit.distance_km(21.03, 105.85, 20.95, 107.08)
    assert 120 < km < 135
    seconds_at_limit = km / 300 * 3600  # the travel time at exactly 300 km/h
    at_limit = _at(20.95, 107.08, t0 + datetime.timedelta(seconds=math.ceil(seconds_at_limit)))
    just_faster = _at(20.95, 107.08, t0 + datetime.timedelta(seconds=math.floor(seconds_at_limit) - 1))
    assert not counterfeit.too_far_too_fast(hanoi, at_limit)
    assert counterfeit.too_far_too_fast(hanoi, just_faster)
    # Within the minimum distance nothing counts, even at once.
    settings.OCOP_STAMP_MIN_DISTANCE_KM = 130
    assert not counterfeit.too_far_too_fast(hanoi, _at(20.95, 107.08, t0))
    settings.OCOP_STAMP_MIN_DISTANCE_KM = int(km)  # just under the distance: counts again
    assert counterfeit.too_far_too_fast(hanoi, _at(20.95, 107.08, t0))
    assert not counterfeit.too_far_too_fast(hanoi, SimpleNamespace(latitude=None, longitude=None, scanned_at=t0))


def test_scan_far_from_the_last_placed_scan_warns(stamp, client, monkeypatch):
    StampScan.objects.create(
        stamp=stamp,
        region="Hà Nội",
        latitude=Decimal("21.0"),
        longitude=Decimal("105.8"),
        scanned_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    # GeoIP is an external boundary: the lookup says the new scan comes from Cần Thơ.
    monkeypatch.setattr(
        "apps.traceability.views.locate", lambda address: {"region": "Cần Thơ", "latitude": 10.0, "longitude": 105.8}
    )
    response = client.get(_url(stamp))
    assert response.context["verdict"].signals == [Signal.TOO_FAR_TOO_FAST]
    services.scans_flush()
    latest = StampScan.objects.filter(stamp=stamp).order_by("-pk").first()
    assert latest.region == "Cần Thơ" and latest.signals == Signal.TOO_FAR_TOO_FAST


def test_digital_link_opens_the_same_page(ready_batch, world, client):
    world.product.gtin = "8934673573337"
    world.product.save(update_fields=["gtin"])
    stamp = ready_batch.stamps.first()
    path = f"/01/08934673573337/10/L2026-001/21/{stamp.code}"
    response = client.get(path)
    assert response.status_code == 200 and response.context["stamp"] == stamp
    assert client.get(f"/01/8934673573337/10/L2026-001/21/{stamp.code}").status_code == 200  # GTIN-13 form
    for wrong in (
        f"/01/08934673573337/10/L2026-002/21/{stamp.code}",  # another lot
        f"/01/08934673573337/21/{stamp.code}",  # lot missing
        f"/01/08934673573338/10/L2026-001/21/{stamp.code}",  # check digit
        f"/01/00000000000017/10/L2026-001/21/{stamp.code}",  # another GTIN
    ):
        assert client.get(wrong).status_code == 404, wrong


def _jpeg():
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, format="JPEG")
    return SimpleUploadedFile("tem.jpg", buf.getvalue(), content_type="image/jpeg")


def test_report_a_fake_with_a_photo(stamp, client):
    url = reverse("trace_scan:report_fake", kwargs={"code": stamp.code})
    response = client.post(
        url, {"photo": _jpeg(), "where_bought": "Chợ Hạ Long", "message": "Tem mờ"}, REMOTE_ADDR="1.2.3.4"
    )
    assert response.status_code == 200
    report = FakeReport.objects.get()
    assert report.stamp == stamp and report.product == stamp.batch.product
    assert report.photo_content_type == "image/jpeg" and report.ip_prefix == "1.2.3.0/24"


def test_report_of_an_unknown_code_is_kept(db, client):
    url = reverse("trace_scan:report_fake", kwargs={"code": "ZZZZZZZZZZZZZ"})
    assert client.post(url, {"photo": _jpeg()}).status_code == 200
    assert FakeReport.objects.get().stamp is None


def test_report_refuses_a_file_that_is_not_an_image(stamp, client):
    url = reverse("trace_scan:report_fake", kwargs={"code": stamp.code})
    fake = SimpleUploadedFile("tem.jpg", b"\x7fELF" + b"\0" * 200, content_type="image/jpeg")
    response = client.post(url, {"photo": fake})
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert FakeReport.objects.count() == 0


def test_scan_page_query_count_is_bounded(stamp, client, django_assert_max_num_queries):
    client.get(_url(stamp))
    with django_assert_max_num_queries(14):
        client.get(_url(stamp))


def test_product_photo_is_shown(stamp, world, client):

    ProductPhoto.objects.create(product=world.product, image=png_upload(), alt="Hộp trà")
    html = client.get(_url(stamp)).content.decode()
    assert 'class="scan-photo"' in html and 'alt="Hộp trà"' in html
