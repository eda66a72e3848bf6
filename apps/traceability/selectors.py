"""Reads of the traceability app: the public lookups of a stamp, what each user may see, and statistics."""

import datetime
from datetime import timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.core.gs1 import to_gtin14

from . import scanbuffer
from .enums import BatchState
from .models import FakeReport, Lot, ProductionSite, Stamp, StampBatch, StampScan
from .rules import q_officer_of_subtree, q_own_or_officer

if TYPE_CHECKING:
    from apps.products.models import Product

STAMP_RELATED = ("batch__product__producer__commune", "batch__product__product_set", "batch__lot")


def current_certificate(product: "Product") -> Certificate | None:
    """The certificate whose live status (``Certificate.status``, as on /xac-thuc/) speaks for the product now:
    the one valid today, else the latest issued. One query."""
    valid_now = Certificate.objects.currently_valid().filter(pk=OuterRef("pk"))
    return (
        Certificate.objects.filter(product=product)
        .annotate(valid_now=Exists(valid_now))
        .order_by("-valid_now", "-valid_from", "-pk")
        .first()
    )


def stamp_by_code(code: str | None) -> Stamp | None:
    if not code or len(code) > (Stamp._meta.get_field("code").max_length or 0):
        return None
    return Stamp.objects.select_related(*STAMP_RELATED).filter(code=code).first()


def stamp_by_digital_link(*, gtin: str, lot: str, serial: str) -> Stamp | None:
    """The stamp a GS1 Digital Link names: the serial is the stamp code; GTIN and lot must match it."""
    stamp = stamp_by_code(serial)
    if stamp is None:
        return None
    product = stamp.batch.product
    if not product.gtin or to_gtin14(product.gtin) != gtin:
        return None
    lot_code = stamp.batch.lot.code if stamp.batch.lot else None
    if (lot or None) != lot_code:
        return None
    return stamp


UNREAD = object()


def previous_placed_scan(stamp: Stamp, *, buffered: Any = UNREAD) -> Any:
    """The stamp's latest scan that has a place (before the one being recorded): the buffered one if Redis has it
    (``buffered``: what the caller has read from Redis already, ``scanbuffer.parse_place``)."""
    if buffered is UNREAD:
        buffered = scanbuffer.previous_place(stamp)
    if buffered is not None:
        latitude, longitude, scanned_at = buffered
        return SimpleNamespace(latitude=latitude, longitude=longitude, scanned_at=scanned_at)
    return (
        StampScan.objects.filter(stamp=stamp, latitude__isnull=False)
        .order_by("-scanned_at", "-pk")
        .only("latitude", "longitude", "scanned_at")
        .first()
    )


def scan_regions_count(stamp: Stamp) -> int:
    return StampScan.objects.filter(stamp=stamp).exclude(region="").values("region").distinct().count()


# --- What each user may see -------------------------------------------------------------------------------


def _visible(queryset: QuerySet[Any], user: Any, producer_path: str) -> QuerySet[Any]:
    """Producer accounts see their producers' rows; officers their subtree's (``q_own_or_officer``)."""
    return queryset.filter(q_own_or_officer(user, producer_path))


def sites_visible_to(user: Any) -> QuerySet[ProductionSite]:
    return _visible(ProductionSite.objects.select_related("producer", "commune"), user, "producer")


def lots_visible_to(user: Any) -> QuerySet[Lot]:
    return _visible(Lot.objects.select_related("product__producer"), user, "product__producer")


def batches_visible_to(user: Any) -> QuerySet[StampBatch]:
    return _visible(
        StampBatch.objects.select_related("product__producer__commune", "lot", "requested_by"),
        user,
        "product__producer",
    )


def batches_awaiting_decision(user: Any) -> QuerySet[StampBatch]:
    return batches_visible_to(user).filter(state=BatchState.REQUESTED)


def scans_visible_to(user: Any) -> QuerySet[StampScan]:
    return _visible(StampScan.objects.all(), user, "stamp__batch__product__producer")


def reports_visible_to(user: Any) -> QuerySet[FakeReport]:
    """The fake-product reports ``user`` may view (``traceability.view_reports``)."""
    return FakeReport.objects.select_related("product__producer", "stamp").filter(
        q_officer_of_subtree(user, "product__producer")
    )


def alerts_visible_to(user: Any) -> QuerySet[Any]:
    """Scans that showed a counterfeit signal, newest first (for market-surveillance follow-up)."""
    return (
        scans_visible_to(user)
        .exclude(signals="")
        .select_related("stamp__batch__product", "stamp__batch__lot")
        .order_by("-scanned_at", "-pk")
    )


def scan_statistics(
    scans: QuerySet[StampScan], *, days: int = 30, today: datetime.date | None = None
) -> dict[str, Any]:
    """Counts per product, lot, region and day over ``scans`` (a queryset already restricted to the user)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=days - 1)
    by_product = list(
        scans.values("stamp__batch__product__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "stamp__batch__product__name")[:20]
    )
    by_lot = list(
        scans.filter(stamp__batch__lot__isnull=False)
        .values("stamp__batch__lot__code", "stamp__batch__product__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:20]
    )
    by_region = list(scans.values("region").annotate(n=Count("pk")).order_by("-n", "region")[:40])
    daily = dict(
        scans.filter(scanned_at__date__gte=since)
        .annotate(day=TruncDate("scanned_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    series = [(since + timedelta(days=i), daily.get(since + timedelta(days=i), 0)) for i in range(days)]
    return {
        "total": scans.count(),
        "flagged": scans.exclude(signals="").count(),
        "by_product": by_product,
        "by_lot": by_lot,
        "by_region": by_region,
        "series": series,
    }
