"""Producer and officer screens: who may see and act (403s change nothing), exports, statistics, product GTIN."""

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.enums import Role
from apps.products.forms import ProductForm
from apps.products.models import Product
from apps.traceability.enums import BatchState, EventKind
from apps.traceability.models import FakeReport, Lot, LotEvent, StampBatch, StampScan
from tests.factories import UserFactory
from tests.factories.catalog import certified_product

from .conftest import make_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_producer_dashboard_lists_own_records(world, users, login):
    make_batch(world, users, 5)
    html = login(users.producer).get(reverse("traceability:index")).content.decode()
    assert "L2026-001" in html and "Đồi chè Khe Lạc" in html
    assert world.other_product.name not in html


def test_producer_records_a_lot_and_an_event_on_the_phone_form(world, users, login):
    client = login(users.producer)
    response = client.post(
        reverse("traceability:lot_create"),
        {
            "product": world.product.pk,
            "code": "L-NEW",
            "produced_on": "2026-11-20",
            "quantity": "80",
            "unit": "hộp",
            "sites": [world.site.pk],
        },
    )
    lot = Lot.objects.get(code="L-NEW")
    assert response.status_code == 302 and response["Location"] == reverse("traceability:lot_detail", args=[lot.pk])
    response = client.post(
        reverse("traceability:lot_event_add", args=[lot.pk]),
        {"kind": EventKind.PACKING, "occurred_at": "2026-11-21T08:30", "site": world.site.pk, "actor": "Tổ đóng gói"},
    )
    assert response.status_code == 302
    assert list(lot.events.values_list("kind", flat=True)) == [EventKind.PACKING]


@pytest.mark.parametrize("who", ["commune_y", "province_q", "council"])
def test_outsiders_get_403_on_every_lot_and_batch_action_and_nothing_changes(world, users, login, tree, who):

    user = UserFactory(role=Role.COUNCIL_MEMBER, unit=tree.p) if who == "council" else getattr(users, who)
    batch = make_batch(world, users, 5)
    client = login(user)
    lot = world.lot
    posts = [
        (
            reverse("traceability:lot_event_add", args=[lot.pk]),
            {"kind": "harvest", "occurred_at": "2026-11-21T08:30", "place": "x", "actor": "y"},
        ),
        (reverse("traceability:lot_batch_request", args=[lot.pk]), {"quantity": 10}),
        (reverse("traceability:batch_decide", args=[batch.pk]), {"decision": "approve"}),
        (reverse("traceability:batch_void", args=[batch.pk]), {"reason": "x"}),
        (reverse("traceability:batch_void_range", args=[batch.pk]), {"first": 1, "last": 2, "reason": "x"}),
        (reverse("traceability:site_certification_add", args=[world.site.pk]), {"kind": "vietgap"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    for url in (
        reverse("traceability:lot_detail", args=[lot.pk]),
        reverse("traceability:lot_export_epcis", args=[lot.pk]),
        reverse("traceability:lot_export_csv", args=[lot.pk]),
        reverse("traceability:batch_detail", args=[batch.pk]),
        reverse("traceability:site_detail", args=[world.site.pk]),
    ):
        assert client.get(url).status_code == 403, url
    batch.refresh_from_db()
    assert batch.state == BatchState.REQUESTED
    assert StampBatch.objects.count() == 1 and LotEvent.objects.count() == 0
    assert world.site.certifications.count() == 0


def test_producer_cannot_approve_its_own_request(world, users, login):
    batch = make_batch(world, users, 5)
    assert (
        login(users.producer)
        .post(reverse("traceability:batch_decide", args=[batch.pk]), {"decision": "approve"})
        .status_code
        == 403
    )
    batch.refresh_from_db()
    assert batch.state == BatchState.REQUESTED


def test_province_officer_approves_on_the_screen(world, users, login, django_capture_on_commit_callbacks):
    batch = make_batch(world, users, 5)
    client = login(users.province)
    assert batch.pk in [b.pk for b in client.get(reverse("traceability:index")).context["awaiting"]]
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("traceability:batch_decide", args=[batch.pk]), {"decision": "approve"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == BatchState.APPROVED and len(callbacks) == 1


def test_downloads_of_a_ready_batch(ready_batch, users, login):
    client = login(users.producer)
    response = client.get(reverse("traceability:batch_file", args=[ready_batch.pk, "sheet"]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    response = client.get(reverse("traceability:batch_file", args=[ready_batch.pk, "csv"]))
    assert response.status_code == 200
    assert (
        login(users.province_q).get(reverse("traceability:batch_file", args=[ready_batch.pk, "sheet"])).status_code
        == 403
    )


def test_void_range_on_the_screen(ready_batch, users, login):
    client = login(users.producer)
    response = client.post(
        reverse("traceability:batch_void_range", args=[ready_batch.pk]), {"first": 2, "last": 4, "reason": "Mất cuộn"}
    )
    assert response.status_code == 302
    assert ready_batch.stamps.filter(voided_at__isnull=False).count() == 3
    # a bad range: a message, nothing changed
    client.post(
        reverse("traceability:batch_void_range", args=[ready_batch.pk]), {"first": 9, "last": 40, "reason": "x"}
    )
    assert ready_batch.stamps.filter(voided_at__isnull=False).count() == 3


def test_statistics_alerts_and_reports_are_scoped(ready_batch, world, users, login):
    stamp = ready_batch.stamps.first()
    StampScan.objects.create(stamp=stamp, region="Quảng Ninh", signals="too_many_scans")
    StampScan.objects.create(stamp=stamp, region="Hà Nội")
    FakeReport.objects.create(
        stamp=stamp, product=world.product, code=stamp.code, photo="x.jpg", photo_content_type="image/jpeg"
    )
    client = login(users.province)
    stats = client.get(reverse("traceability:statistics"))
    assert stats.status_code == 200
    assert stats.context["stats"]["total"] == 2 and stats.context["stats"]["flagged"] == 1
    assert "<svg" in stats.content.decode() and "Quảng Ninh" in stats.content.decode()
    assert len(client.get(reverse("traceability:alerts")).context["page"]) == 1
    assert len(client.get(reverse("traceability:reports")).context["page"]) == 1
    other = login(users.province_q)
    assert other.get(reverse("traceability:statistics")).context["stats"]["total"] == 0
    assert len(other.get(reverse("traceability:alerts")).context["page"]) == 0
    assert len(other.get(reverse("traceability:reports")).context["page"]) == 0
    assert other.get(reverse("traceability:report_photo", args=[FakeReport.objects.get().pk])).status_code == 403
    assert login(users.producer).get(reverse("traceability:reports")).status_code == 403


def test_anonymous_is_sent_to_login(db, client):
    response = client.get(reverse("traceability:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_lot_exports_epcis_json_ld_and_csv(world, users, login):
    world.product.gtin = "8934673573337"
    world.product.save(update_fields=["gtin"])
    when = datetime.datetime(2026, 11, 2, 7, 0, tzinfo=timezone.get_current_timezone())
    LotEvent.objects.create(
        lot=world.lot, kind=EventKind.HARVEST, occurred_at=when, site=world.site, actor="Tổ hái chè"
    )
    LotEvent.objects.create(
        lot=world.lot,
        kind=EventKind.DISPATCH,
        occurred_at=when + datetime.timedelta(days=3),
        place="Kho Hạ Long",
        actor="Xe 14C",
    )
    client = login(users.producer)
    response = client.get(reverse("traceability:lot_export_epcis", args=[world.lot.pk]))
    assert response["Content-Type"] == "application/ld+json"
    doc = json.loads(response.content)
    assert doc["type"] == "EPCISDocument" and doc["schemaVersion"] == "2.0"
    assert doc["@context"][0] == "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
    events = doc["epcisBody"]["eventList"]
    assert [e["bizStep"] for e in events] == ["harvesting", "shipping"]
    assert events[0]["quantityList"][0]["epcClass"].endswith("/01/08934673573337/10/L2026-001")
    assert events[0]["eventTimeZoneOffset"] == "+07:00"
    assert events[0]["readPoint"]["id"].endswith(f"/site/{world.site.pk}")
    assert "readPoint" not in events[1] and events[1]["ocop:place"] == "Kho Hạ Long"
    response = client.get(reverse("traceability:lot_export_csv", args=[world.lot.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ma_lo", "ten_san_pham", "gtin"]
    assert len(rows) == 3
    assert rows[1][0] == "L2026-001" and rows[1][2] == "8934673573337" and rows[1][11] == "Thu hoạch"
    assert rows[2][13] == "Kho Hạ Long"


def test_product_json_ld_has_gs1_digital_link(tree, client):
    product = certified_product(commune=tree.x, name="Chè Đường Hoa", stars=4, set_code="TP11")
    Product.objects.filter(pk=product.pk).update(gtin="8934673573337")
    html = client.get(reverse("catalog:product_detail", args=[product.slug])).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.+?)</script>', html, re.S).group(1))
    assert data["hasGS1DigitalLink"] == "http://testserver/01/08934673573337"
    assert data["gtin"] == "8934673573337"


def test_product_form_refuses_a_gtin_with_a_wrong_check_digit(world, users, login):

    form = ProductForm(data={"gtin": "8934673573338"}, instance=world.product, user=users.commune_x)
    form.is_valid()
    assert "gtin" in form.errors
    assert "chữ số kiểm tra" in " ".join(form.errors["gtin"])


def test_alerts_and_statistics_query_counts_do_not_grow_with_rows(
    ready_batch, users, login, django_assert_max_num_queries
):
    client = login(users.province)
    stamps = list(ready_batch.stamps.all())
    StampScan.objects.create(stamp=stamps[0], region="Hà Nội", signals="voided")
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("traceability:alerts"))
    StampScan.objects.bulk_create([StampScan(stamp=s, region="Huế", signals="voided") for s in stamps * 5])
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("traceability:alerts"))
    with django_assert_max_num_queries(16):
        client.get(reverse("traceability:statistics"))


@pytest.mark.parametrize("who", ["district", "province"])
def test_the_levels_above_the_commune_may_not_request_stamps_and_nothing_is_created(world, users, login, who):
    # The province approves stamp requests (the default level): it may not be the one asking, nor may the district.
    client = login(getattr(users, who))
    lot_request = reverse("traceability:lot_batch_request", args=[world.lot.pk])
    assert client.post(lot_request, {"quantity": 10}).status_code == 403
    page = client.get(reverse("traceability:batch_request"))
    assert list(page.context["form"].fields["product"].queryset) == []
    refused = client.post(reverse("traceability:batch_request"), {"product": world.product.pk, "quantity": 10})
    assert refused.status_code == 200 and "product" in refused.context["form"].errors
    assert not StampBatch.objects.exists()
    # The commune officer, who keeps the lot's record, still may.
    assert login(users.commune_x).post(lot_request, {"quantity": 10}).status_code == 302
    assert StampBatch.objects.filter(requested_by=users.commune_x, lot=world.lot).count() == 1
