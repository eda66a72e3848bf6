"""Certified products for the catalogue tests: producer → product → decision → item → certificate."""

import datetime
import itertools

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from apps.catalog.models import Fair, PointOfSale
from apps.catalog.services import catalog_rebuild
from apps.certificates.models import Certificate
from apps.core.enums import RuleSet
from apps.evaluation.models import RecognitionDecision, RecognitionItem
from apps.producers.enums import ProducerKind
from apps.producers.models import Producer
from apps.products.models import Product, ProductSet

_seq = itertools.count(1)


def ensure_classification():
    """The 6 groups / 26 sets come from a data migration; apps.products reloads them after every flush."""
    assert ProductSet.objects.count() == 26


def make_producer(*, commune, name=None, kind=ProducerKind.COOPERATIVE_GROUP, **extra):
    n = next(_seq)
    return Producer.objects.create(
        name=name or f"Tổ hợp tác Thử {n}",
        slug=f"chu-the-thu-{n}",
        kind=kind,
        commune=commune,
        address=f"Thôn {n}",
        **extra,
    )


def make_product(*, commune, name=None, producer=None, set_code="TP09", **extra):
    ensure_classification()
    n = next(_seq)
    return Product.objects.create(
        name=name or f"Sản phẩm thử {n}",
        slug=f"san-pham-thu-{n}",
        product_set=ProductSet.objects.get(code=set_code),
        producer=producer or make_producer(commune=commune),
        commune=commune,
        **extra,
    )


def make_decision(*, unit, date=None):
    n = next(_seq)
    return RecognitionDecision.objects.create(
        number=f"{n}/QĐ-UBND",
        date=date or timezone.localdate() - datetime.timedelta(days=30),
        issuing_unit=unit,
        issuer_name="UBND thử",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn Ký",
        rule_set=RuleSet.QD148_2023,
    )


def certify(product, *, stars=3, date=None, decision=None, valid_until=None):
    """Recognise ``product`` at ``stars`` on ``date`` and issue its certificate (36 months, like the service)."""
    decision = decision or make_decision(unit=product.commune, date=date)
    item = RecognitionItem.objects.create(decision=decision, product=product, stars=stars, total_score=50 + 10 * stars)
    n = next(_seq)
    return Certificate.objects.create(
        recognition=item,
        product=product,
        serial=f"OCOP-TEST-{n:06d}",
        token=f"tok{n:09d}",
        stars=stars,
        valid_from=decision.date,
        valid_until=valid_until or decision.date + relativedelta(months=36),
    )


def certified_product(*, commune, stars=3, date=None, **product_fields):
    product = make_product(commune=commune, **product_fields)
    certify(product, stars=stars, date=date)
    return product


def make_point_of_sale(*, unit, products=(), name=None, **extra):
    n = next(_seq)
    point = PointOfSale.objects.create(
        name=name or f"Điểm bán OCOP thử {n}", slug=f"diem-ban-thu-{n}", unit=unit, address=f"Số {n} phố Thử", **extra
    )
    point.products.set(products)
    return point


def make_fair(*, unit, products=(), name=None, starts_on=None, days=5, **extra):
    n = next(_seq)
    starts_on = starts_on or timezone.localdate()
    fair = Fair.objects.create(
        name=name or f"Hội chợ OCOP thử {n}",
        slug=f"hoi-cho-thu-{n}",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days),
        unit=unit,
        venue="Nhà thi đấu tỉnh",
        **extra,
    )
    fair.products.set(products)
    return fair


def bulk_certified_products(n, *, communes, stars_cycle=(3, 3, 4, 3, 5), prefix="Sản phẩm hàng loạt"):
    """``n`` certified products in a handful of bulk inserts, then one catalogue rebuild (for query-count tests)."""

    ensure_classification()
    sets = list(ProductSet.objects.order_by("pk"))
    start = next(_seq)
    for _ in range(n):
        next(_seq)
    producers = Producer.objects.bulk_create(
        Producer(
            name=f"Chủ thể hàng loạt {start + i}",
            slug=f"chu-the-hang-loat-{start + i}",
            kind=ProducerKind.COOPERATIVE_GROUP,
            commune=communes[i % len(communes)],
            address="Thôn Một",
        )
        for i in range(n)
    )
    products = Product.objects.bulk_create(
        Product(
            name=f"{prefix} {start + i}",
            slug=f"san-pham-hang-loat-{start + i}",
            product_set=sets[i % len(sets)],
            producer=producers[i],
            commune=producers[i].commune,
        )
        for i in range(n)
    )
    decision = make_decision(unit=communes[0])
    items = RecognitionItem.objects.bulk_create(
        RecognitionItem(decision=decision, product=p, stars=stars_cycle[i % len(stars_cycle)], total_score=75)
        for i, p in enumerate(products)
    )
    Certificate.objects.bulk_create(
        Certificate(
            recognition=item,
            product=item.product,
            serial=f"OCOP-BULK-{start + i:07d}",
            token=f"bulk{start + i:08d}",
            stars=item.stars,
            valid_from=decision.date,
            valid_until=decision.date + relativedelta(months=36),
        )
        for i, item in enumerate(items)
    )
    catalog_rebuild()
    return products
