"""Reads about producers: who sees which producer, the filtered list, the document vault."""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from apps.core.policy import NOTHING, scope
from apps.core.text import fold
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.products.models import Product

from .enums import DocumentKind
from .models import BulkRehoming, Producer, ProducerDocument
from .rules import q_can_view
from .signals import products_in_progress

if TYPE_CHECKING:
    from apps.accounts.models import User


def producers_visible_to(user: "User") -> QuerySet[Producer]:
    """The producers ``user`` may view (``producers.view_producer``): staff their subtree's, producer accounts
    the producers they are linked to."""
    return Producer.objects.filter(q_can_view(user, producer_field="", unit_field="commune"))


def producers_editable_by(user: "User") -> QuerySet[Producer]:
    """The producers ``user`` may change (commune officers: their commune; administrators: their scope)."""
    if not user.has_perm("producers.add_producer"):
        return Producer.objects.none()
    return scope(Producer.objects.all(), user, unit_field="commune")


def producer_list(user: "User", today: datetime.date | None = None) -> QuerySet[Producer]:
    """The list page's rows: commune, product count and an expired-document flag in the same query."""
    qs = producers_visible_to(user).select_related("commune").annotate(product_count=Count("products", distinct=True))
    return producers_with_expired_documents(qs, today=today).order_by("name", "pk")


def communes_of(queryset: QuerySet[Any]) -> QuerySet[AdministrativeUnit]:
    """The communes of the rows of ``queryset`` (a queryset of anything with a ``commune``), by name."""
    return AdministrativeUnit.objects.filter(pk__in=queryset.order_by().values("commune_id")).order_by("name", "path")


def search_filter(field: str, query: str) -> Q:
    """A Q matching rows whose folded ``field`` contains every word of the folded ``query``."""
    condition = Q()
    for word in fold(query).split():
        condition &= Q(**{f"{field}__contains": word})
    return condition


def producer_documents(producer: Producer) -> QuerySet[ProducerDocument]:
    return producer.documents.select_related("uploaded_by").order_by("kind", "-issued_on", "-pk")


def producer_missing_or_expired_documents(
    producer: Producer, kinds: Iterable[str], today: datetime.date | None = None
) -> list[DocumentKind]:
    """The required ``kinds`` (DocumentKind values) with no document of that kind still valid on ``today``.

    A document without an expiry date is valid. Used to refuse a dossier while a required document is
    missing or expired. Returns the kinds in the order given, as DocumentKind members.
    """
    today = today or timezone.localdate()
    valid_kinds = set(
        ProducerDocument.objects.filter(producer=producer, kind__in=[str(k) for k in kinds])
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("kind", flat=True)
    )
    return [DocumentKind(k) for k in kinds if str(k) not in valid_kinds]


def producers_with_expired_documents(
    queryset: QuerySet[Producer], today: datetime.date | None = None
) -> QuerySet[Producer]:
    """Annotate ``has_expired_document`` on a producer queryset (one subquery, no extra query)."""
    today = today or timezone.localdate()
    expired = ProducerDocument.objects.filter(producer=OuterRef("pk"), expires_on__lt=today)
    return queryset.annotate(has_expired_document=Exists(expired))


# --- Bulk re-homing preview ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RehomingMove:
    producer: Producer
    target: AdministrativeUnit


@dataclass(frozen=True)
class RehomingPreview:
    unit: AdministrativeUnit
    moves: list[RehomingMove]  # RehomingMove: wholly merged commune, nothing in progress
    blocked: list[RehomingMove]  # RehomingMove: wholly merged, but an application in progress or an open council round
    split: list[Producer]  # Producer: its old commune was split (or has no link): assign it one by one

    @property
    def fingerprint(self) -> str:
        """What the officer saw: the producers that would move and where to (compared again when they confirm)."""
        text = ";".join(f"{m.producer.pk}:{m.producer.commune_id}>{m.target.pk}" for m in self.moves)
        return hashlib.sha256(f"{self.unit.pk}|{text}".encode()).hexdigest()[:32]


def busy_products(products: "QuerySet[Product]") -> "QuerySet[Product]":
    """The products among ``products`` that may not move to another commune yet: the apps above answer for their
    records (``products_in_progress``: an application still moving, an entry in an open council round)."""
    pinned = NOTHING
    for _receiver, ids in products_in_progress.send(sender=Product, products=products):
        if ids is not None:
            pinned |= Q(pk__in=ids)
    return products.filter(pinned)


def busy_product_names(products: Iterable[Product]) -> set[str]:
    return set(busy_products(Product.objects.filter(pk__in=[p.pk for p in products])).values_list("name", flat=True))


def busy_producer_ids(producers: "QuerySet[Producer]") -> set[int]:
    """The ids of the producers (a queryset) with a product registered before the reform that may not move yet."""
    old_products = Product.objects.filter(producer__in=producers, commune__edition=Edition.THREE_TIER_2024)
    return set(busy_products(old_products).values_list("producer_id", flat=True))


def rehoming_preview(unit: AdministrativeUnit) -> RehomingPreview:
    """The producers of the pre-2025 ``unit`` still registered in pre-2025 communes, sorted into what moves to its
    2025 commune, what is blocked, and the split cases (2 queries whatever the number of producers)."""
    producers = Producer.objects.filter(commune__path__startswith=unit.path, commune__edition=Edition.THREE_TIER_2024)
    rows = list(producers.select_related("commune__successor").order_by("commune__path", "name", "pk"))
    busy = busy_producer_ids(producers) if rows else set()
    moves: list[RehomingMove] = []
    blocked: list[RehomingMove] = []
    split: list[Producer] = []
    for producer in rows:
        if not producer.commune.wholly_merged:
            split.append(producer)
            continue
        successor = cast(AdministrativeUnit, producer.commune.successor)  # a wholly merged commune has one
        if producer.pk in busy:
            blocked.append(RehomingMove(producer, successor))
        else:
            moves.append(RehomingMove(producer, successor))
    return RehomingPreview(unit=unit, moves=moves, blocked=blocked, split=split)


def rehoming_units_for(user: "User") -> tuple[QuerySet[AdministrativeUnit], QuerySet[AdministrativeUnit]]:
    """The pre-2025 provinces and communes with producers still to move that ``user`` covers (for the picker)."""
    old_communes = scope(
        AdministrativeUnit.objects.filter(edition=Edition.THREE_TIER_2024, level=Level.COMMUNE), user, unit_field=None
    ).filter(Exists(Producer.objects.filter(commune=OuterRef("pk"))))
    provinces = scope(
        AdministrativeUnit.objects.filter(edition=Edition.THREE_TIER_2024, level=Level.PROVINCE), user, unit_field=None
    )
    return provinces.order_by("name"), old_communes.select_related("parent").order_by("name", "path")


def rehoming_runs_for(user: "User") -> QuerySet[BulkRehoming]:
    return scope(BulkRehoming.objects.select_related("unit", "requested_by"), user, unit_field="unit")
