"""Factories for the certificates tests: producers, products and recognition decisions over the skeleton models."""

import datetime
from decimal import Decimal

import factory

from apps.evaluation.models import RecognitionDecision, RecognitionItem
from apps.producers.enums import ProducerKind
from apps.producers.models import Producer
from apps.products.models import Product, ProductGroup, ProductSet


def product_set(code="TP11"):
    """A product set from the migration data; recreated if a transactional test flushed it."""
    found = ProductSet.objects.filter(code=code).first()
    if found:
        return found
    group, _ = ProductGroup.objects.get_or_create(code="TP", defaults={"name": "Thực phẩm", "order": 1})
    return ProductSet.objects.create(group=group, code=code, name="Chè (trà)", order=11)


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"Hợp tác xã Chè Đường Hoa số {n}")
    slug = factory.Sequence(lambda n: f"htx-che-duong-hoa-{n}")
    kind = ProducerKind.COOPERATIVE
    address = "Thôn Khe Lạc, xã Đường Hoa, huyện Hải Hà"
    legal_representative = "Nguyễn Thị Hương"
    tax_code = factory.Sequence(lambda n: f"57{n:08d}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Trà hoa vàng Ba Chẽ loại đặc biệt {n}")
    slug = factory.Sequence(lambda n: f"tra-hoa-vang-ba-che-{n}")
    product_set = factory.LazyFunction(product_set)
    producer = factory.SubFactory(ProducerFactory, commune=factory.SelfAttribute("..commune"))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecognitionDecision

    number = factory.Sequence(lambda n: f"{1000 + n}/QĐ-UBND")
    date = datetime.date(2026, 3, 15)
    issuer_name = "Ủy ban nhân dân tỉnh Quảng Ninh"
    signer_title = "KT. Chủ tịch — Phó Chủ tịch"
    signer_name = "Nguyễn Văn Thắng"
    rule_set = "qd148-2023"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecognitionItem

    stars = 4
    total_score = Decimal("78.50")


def decision_with_products(*, issuing_unit, commune, count, date=None, stars=4, products=None):
    """A recognition decision listing ``count`` new products (or the given ``products``) of ``commune``."""
    decision = DecisionFactory(issuing_unit=issuing_unit, **({"date": date} if date else {}))
    products = products or [ProductFactory(commune=commune) for _ in range(count)]
    for product in products:
        ItemFactory(decision=decision, product=product, stars=stars)
    return decision
