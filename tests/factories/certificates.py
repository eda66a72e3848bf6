"""The one factory per model of apps.certificates, and recognition decisions listing tea products."""

import factory
from dateutil.relativedelta import relativedelta

from apps.certificates.models import Certificate
from tests.factories.evaluation import DecisionFactory, ItemFactory
from tests.factories.products import ProductFactory


class CertificateFactory(factory.django.DjangoModelFactory):
    """The certificate of a recognition item (36 months from the decision, like the service)."""

    class Meta:
        model = Certificate

    product = factory.SelfAttribute("recognition.product")
    serial = factory.Sequence(lambda n: f"OCOP-TEST-{n:06d}")
    token = factory.Sequence(lambda n: f"tok{n:09d}")
    stars = factory.SelfAttribute("recognition.stars")
    valid_from = factory.SelfAttribute("recognition.decision.date")
    valid_until = factory.LazyAttribute(lambda o: o.valid_from + relativedelta(months=36))


def decision_with_products(*, issuing_unit, commune, count, date=None, stars=4, products=None):
    """A recognition decision listing ``count`` new tea products (or the given ``products``) of ``commune``."""
    decision = DecisionFactory(issuing_unit=issuing_unit, **({"date": date} if date else {}))
    products = products or [ProductFactory(commune=commune, tea=True) for _ in range(count)]
    for product in products:
        ItemFactory(decision=decision, product=product, stars=stars)
    return decision
