"""Factories for the councils: a product with its application, a round with its council, filled sheets."""

import datetime
import itertools
from decimal import Decimal

import factory

from apps.accounts.enums import Role
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState
from apps.cycles.models import Application, Cycle
from apps.demo.evaluation import choices_for_target
from apps.demo.sheets import load_sample_sheets
from apps.evaluation import services
from apps.evaluation.enums import MemberRole, RoundState, Tier
from apps.evaluation.models import EvaluationRound, RecognitionDecision, RecognitionItem, RoundEntry, SheetTemplate
from apps.evaluation.selectors import template_for
from apps.products.models import ProductSet
from tests.factories import UserFactory
from tests.factories.products import ProductFactory

_seq = itertools.count(1)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecognitionDecision

    number = factory.Sequence(lambda n: f"{1000 + n}/QĐ-UBND")
    date = datetime.date(2026, 3, 15)
    issuer_name = "Ủy ban nhân dân tỉnh Quảng Ninh"
    signer_title = "KT. Chủ tịch — Phó Chủ tịch"
    signer_name = "Nguyễn Văn Thắng"
    rule_set = RuleSet.QD148_2023


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecognitionItem

    stars = 4
    total_score = Decimal("78.50")


def make_application(
    *, commune, cycle, set_code="TP11", created_by, name=None, state=ApplicationState.SENT_FOR_EVALUATION, **extra
):
    product = ProductFactory(
        commune=commune,
        product_set=ProductSet.objects.get(code=set_code),
        producer__kind="tht",
        producer__tax_code=None,
        **({"name": name} if name else {}),
    )
    return Application.objects.create(cycle=cycle, product=product, state=state, created_by=created_by, **extra)


def make_cycle(*, unit, rule_set=RuleSet.QD148_2023, year=2024):
    cycle, _ = Cycle.objects.get_or_create(
        unit=unit, year=year, defaults={"rule_set": rule_set, "name": f"Chu trình OCOP {year}"}
    )
    return cycle


def make_council(*, round, unit, by, size=3):
    """A chair, a secretary and members (``size`` scoring seats), all council members of ``unit``."""
    roles = [MemberRole.CHAIR, MemberRole.SECRETARY] + [MemberRole.MEMBER] * (size - 2)
    members = []
    for role in roles:
        user = UserFactory(role=Role.COUNCIL_MEMBER, unit=unit, full_name=f"Ủy viên Hội đồng Số {next(_seq)}")
        members.append(services.member_add(round=round, user=user, role=role, by=by))
    return members


def make_round(*, cycle, tier, unit, by, size=3, **config):
    load_sample_sheets()
    round = services.round_create(cycle=cycle, tier=tier, unit=unit, name=f"Đợt đánh giá {next(_seq)}", by=by, **config)
    members = make_council(round=round, unit=unit, by=by, size=size)
    return round, members


def forwarded_entry(*, cycle, tier, unit, application, by, total=Decimal(95), set_state=True):
    """Record that a closed round of ``tier`` forwarded ``application`` (the state its decision leaves it in)."""
    load_sample_sheets()
    round = services.round_create(cycle=cycle, tier=tier, unit=unit, name=f"Đợt trước {next(_seq)}", by=by)
    EvaluationRound.objects.filter(pk=round.pk).update(state=RoundState.CLOSED)
    # A rule set without a loaded sheet (qd1048-2019) borrows any: only the forward matters here.
    template = template_for(rule_set=cycle.rule_set, product_set=application.product.product_set)
    template = template or SheetTemplate.objects.order_by("pk").first()
    entry = RoundEntry.objects.create(
        round=round, application=application, template=template, forwarded=True, total=total
    )
    if set_state:
        state = ApplicationState.FORWARDED_CENTRAL if tier == Tier.PROVINCE else ApplicationState.FORWARDED_PROVINCE
        Application.objects.filter(pk=application.pk).update(state=state)
        application.state = state
    return entry


def score(*, entry, member, target, submit=True, skip_mandatory=()):
    sheet = services.sheet_open(entry=entry, member=member)
    choices = choices_for_target(entry.template, target, skip_mandatory=skip_mandatory)
    return services.sheet_save(sheet=sheet, choices=choices, by=member.user, submit=submit)
