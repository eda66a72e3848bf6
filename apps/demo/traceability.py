"""Demo traceability: for a few certified products (the Đắk Kôi cooperative's first), a production site with a
VietGAP certification, a lot with its events, a printed batch of stamps, and one stamp whose scans (many, in
several provinces) show the counterfeit warning. Idempotent: a product whose demo lot exists is skipped."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.catalog.models import CatalogEntry
from apps.demo.producers import DEMO_PRODUCER_EMAIL, _demo_admin
from apps.traceability import services
from apps.traceability.enums import BatchState, CertificationKind, EventKind, Signal, SiteKind
from apps.traceability.models import Lot

DEMO_PRODUCTS = 4
DEMO_STAMPS = 20
LOT_CODE = "DEMO-2026-01"
COPIED_SCAN_COUNT = 36
WARNED_SCANS = 10
# Where the copied stamp was "scanned": (province, latitude, longitude).
COPIED_SCANS = [
    ("Hà Nội", Decimal("21.0"), Decimal("105.8")),
    ("Quảng Ninh", Decimal("20.9"), Decimal("107.1")),
    ("Đà Nẵng", Decimal("16.1"), Decimal("108.2")),
    ("TP. Hồ Chí Minh", Decimal("10.8"), Decimal("106.7")),
    ("Cần Thơ", Decimal("10.0"), Decimal("105.8")),
]


def _products():
    producer_user = User.objects.filter(email=DEMO_PRODUCER_EMAIL).first()
    entries = CatalogEntry.objects.select_related("product__producer__commune").order_by("-stars", "pk")
    own = [e.product for e in entries.filter(producer__accounts=producer_user)[:2]] if producer_user else []
    others = [e.product for e in entries.exclude(product__in=own)[: DEMO_PRODUCTS - len(own)]]
    return own + others


@transaction.atomic
def _seed_product(product, admin, today):
    site = services.site_save(
        by=admin,
        producer=product.producer,
        products=[product],
        name=f"Vùng nguyên liệu {product.producer.commune.name}",
        kind=SiteKind.GROWING_AREA,
        commune=product.producer.commune,
        address=product.producer.address,
        area_m2=25_000,
    )
    services.site_certification_add(
        by=admin,
        site=site,
        kind=CertificationKind.VIETGAP,
        number=f"VG-{product.pk:05d}",
        issuer="Trung tâm chứng nhận VietGAP",
        valid_until=today + datetime.timedelta(days=700),
    )
    lot = services.lot_create(
        by=admin,
        product=product,
        sites=[site],
        code=LOT_CODE,
        produced_on=today - datetime.timedelta(days=20),
        expires_on=today + datetime.timedelta(days=345),
        quantity=Decimal("400"),
        unit="sản phẩm",
        inputs="Nguyên liệu tươi từ vùng nguyên liệu của hợp tác xã",
    )
    start = timezone.now() - datetime.timedelta(days=20)
    for offset, kind, actor in [
        (0, EventKind.HARVEST, "Tổ thu hoạch"),
        (1, EventKind.PROCESSING, "Xưởng chế biến"),
        (3, EventKind.INSPECTION, "Cán bộ kỹ thuật hợp tác xã"),
        (4, EventKind.PACKING, "Tổ đóng gói"),
        (6, EventKind.DISPATCH, "Đội vận chuyển"),
    ]:
        services.lot_event_add(
            by=admin, lot=lot, kind=kind, occurred_at=start + datetime.timedelta(days=offset), actor=actor, site=site
        )
    batch = services.stamp_batch_request(by=admin, product=product, lot=lot, quantity=DEMO_STAMPS)
    services.stamp_batch_transition(batch=batch, to=BatchState.APPROVED, by=admin)
    return batch


def seed():
    admin = _demo_admin()
    if admin is None:
        return
    today = timezone.localdate()
    batches = [
        _seed_product(product, admin, today)
        for product in _products()
        if not Lot.objects.filter(product=product, code=LOT_CODE).exists()
    ]
    for batch in batches:
        # With a broker a worker generates the files; without one (SQLite demo) the task already ran in-process.
        services.stamp_batch_generate(batch_id=batch.pk)
    if batches:
        copied = batches[0].stamps.order_by("serial").last()
        if copied is not None and not copied.scans.exists():
            # 36 scans six hours apart, oldest first, through the scan service (the last ten showed the warning).
            now = timezone.now()
            for i in reversed(range(COPIED_SCAN_COUNT)):
                region, latitude, longitude = COPIED_SCANS[i % len(COPIED_SCANS)]
                services.scan_record(
                    stamp=copied,
                    address=None,
                    place={"region": region, "latitude": latitude, "longitude": longitude},
                    signals=[Signal.TOO_MANY_SCANS] if i < WARNED_SCANS else [],
                    at=now - datetime.timedelta(hours=6 * i),
                )
            services.scans_flush()
