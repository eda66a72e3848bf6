"""Certified products for the catalogue tests: producer → product → decision → item → certificate."""

import datetime
import itertools

from django.utils import timezone

from apps.catalog.models import Fair, PointOfSale
from apps.catalog.services import catalog_rebuild
from apps.certificates.models import Certificate
from apps.evaluation.models import RecognitionItem
from apps.producers.enums import ProducerKind
from apps.producers.models import Producer
from apps.products.models import Product, ProductSet
from tests.factories.certificates import CertificateFactory
from tests.factories.evaluation import DecisionFactory, ItemFactory
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory

_seq = itertools.count(1)


def ensure_classification():
    """The 6 groups / 26 sets come from a data migration; apps.products reloads them after every flush."""
    assert ProductSet.objects.count() == 26


def make_producer(*, commune, name=None, kind=ProducerKind.COOPERATIVE_GROUP, **extra):
    """A cooperative group of ``commune`` (no tax code, no representative, as a group registers)."""
    extra.setdefault("tax_code", None)
    extra.setdefault("legal_representative", "")
    return ProducerFactory(commune=commune, kind=kind, **({"name": name} if name else {}), **extra)


def make_product(*, commune, name=None, producer=None, set_code="TP09", **extra):
    ensure_classification()
    return ProductFactory(
        commune=commune,
        product_set=ProductSet.objects.get(code=set_code),
        producer=producer or make_producer(commune=commune),
        **({"name": name} if name else {}),
        **extra,
    )


def make_decision(*, unit, date=None):
    return DecisionFactory(
        issuing_unit=unit,
        date=date or timezone.localdate() - datetime.timedelta(days=30),
        issuer_name="UBND thử",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn Ký",
    )


def certify(product, *, stars=3, date=None, decision=None, valid_until=None):
    """Recognise ``product`` at ``stars`` on ``date`` and issue its certificate (36 months, like the service)."""
    decision = decision or make_decision(unit=product.commune, date=date)
    item = ItemFactory(decision=decision, product=product, stars=stars, total_score=50 + 10 * stars)
    return CertificateFactory(recognition=item, **({"valid_until": valid_until} if valid_until else {}))


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
        ProducerFactory.build(
            name=f"Chủ thể hàng loạt {start + i}",
            slug=f"chu-the-hang-loat-{start + i}",
            kind=ProducerKind.COOPERATIVE_GROUP,
            commune=communes[i % len(communes)],
            address="Thôn Một",
            tax_code=None,
            legal_representative="",
        )
        for i in range(n)
    )
    products = Product.objects.bulk_create(
        ProductFactory.build(
            name=f"{prefix} {start + i}",
            slug=f"san-pham-hang-loat-{start + i}",
            product_set=sets[i % len(sets)],
            producer=producers[i],
        )
        for i in range(n)
    )
    decision = make_decision(unit=communes[0])
    items = RecognitionItem.objects.bulk_create(
        ItemFactory.build(decision=decision, product=p, stars=stars_cycle[i % len(stars_cycle)], total_score=75)
        for i, p in enumerate(products)
    )
    Certificate.objects.bulk_create(
        CertificateFactory.build(recognition=item, serial=f"OCOP-BULK-{start + i:07d}", token=f"bulk{start + i:08d}")
        for i, item in enumerate(items)
    )
    catalog_rebuild()
    return products
