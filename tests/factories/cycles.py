"""The one factory per model of apps.cycles: cycles with their six steps, applications and dossiers."""

import datetime

import factory
from django.utils import timezone

from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState, CycleStep
from apps.cycles.models import Application, Cycle, CycleStepPeriod, Dossier
from apps.producers.enums import DocumentKind
from tests.factories.producers import DocumentFactory


def complete_vault(producer, *, food_safety_expires_on=datetime.date(2099, 1, 1)):
    """Give ``producer`` the business registration, food-safety certificate and quality declaration."""
    issued_on = datetime.date(2024, 1, 1)
    DocumentFactory(producer=producer, kind=DocumentKind.BUSINESS_REGISTRATION, issued_on=issued_on)
    DocumentFactory(
        producer=producer, kind=DocumentKind.FOOD_SAFETY, issued_on=issued_on, expires_on=food_safety_expires_on
    )
    DocumentFactory(producer=producer, kind=DocumentKind.QUALITY_DECLARATION, issued_on=issued_on)


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
