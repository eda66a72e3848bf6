"""Factories for the cycles tests: producers, products and vault documents in the shape the cycles app needs,
cycles with their six steps, applications and dossiers."""

import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.core.enums import RuleSet
from apps.core.text import fold
from apps.cycles.enums import ApplicationState, CycleStep
from apps.cycles.models import Application, Cycle, CycleStepPeriod, Dossier
from apps.producers.enums import DocumentKind, ProducerKind
from apps.producers.models import Producer, ProducerDocument
from apps.products.models import Product, ProductSet

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"HTX Thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"htx-thu-nghiem-{n}")
    kind = ProducerKind.COOPERATIVE
    address = "Thôn 1"
    legal_representative = "Nguyễn Văn A"
    tax_code = factory.Sequence(lambda n: f"{5700000000 + n}")
    search_text = factory.LazyAttribute(lambda o: fold(o.name))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Sản phẩm {n}")
    slug = factory.Sequence(lambda n: f"san-pham-{n}")
    product_set = factory.LazyFunction(lambda: ProductSet.objects.get(code="TP08"))
    producer = factory.SubFactory(ProducerFactory, commune=factory.SelfAttribute("..commune"))
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.name} {o.producer.name}"))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProducerDocument

    kind = DocumentKind.BUSINESS_REGISTRATION
    title = factory.LazyAttribute(lambda o: str(DocumentKind(o.kind).label))
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="giay-to.pdf"))
    content_type = "application/pdf"
    issued_on = datetime.date(2024, 1, 1)
    expires_on = None


def complete_vault(producer, *, food_safety_expires_on=datetime.date(2099, 1, 1)):
    """Give ``producer`` the business registration, food-safety certificate and quality declaration."""
    DocumentFactory(producer=producer, kind=DocumentKind.BUSINESS_REGISTRATION)
    DocumentFactory(producer=producer, kind=DocumentKind.FOOD_SAFETY, expires_on=food_safety_expires_on)
    DocumentFactory(producer=producer, kind=DocumentKind.QUALITY_DECLARATION)


def step_dates(year=2025):
    return [
        (step, datetime.date(year, 2 * step - 1, 1), datetime.date(year, 2 * step, 28)) for step in CycleStep.values
    ]


def open_step_dates(today=None):
    """Six ordered windows that all contain ``today`` (so every dated action of a test is in its step)."""
    today = today or timezone.localdate()
    return [
        (step, today - datetime.timedelta(days=70 - 10 * step), today + datetime.timedelta(days=10 * step))
        for step in CycleStep.values
    ]


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle
        skip_postgeneration_save = True

    year = 2025
    rule_set = RuleSet.QD148_2023
    name = factory.LazyAttribute(lambda o: f"Chu trình OCOP {o.year} — {o.unit.name}")

    @factory.post_generation
    def steps(obj, create, extracted, **kwargs):
        if create:
            CycleStepPeriod.objects.bulk_create(
                CycleStepPeriod(cycle=obj, step=s, starts_on=a, ends_on=b)
                for s, a, b in (extracted or open_step_dates())
            )


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application in ``state`` (set directly: tests of the state machine start from any state)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    state = ApplicationState.IDEA_REGISTERED
    returned_from = ""

    @factory.post_generation
    def dossier(obj, create, extracted, **kwargs):
        if create:
            Dossier.objects.create(application=obj, **(extracted or {}))
