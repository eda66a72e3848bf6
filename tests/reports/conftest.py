"""A small two-edition world with known answers for the report figures.

2024 edition: Tỉnh Quảng Ninh (22) → Hạ Long (193) → X, Y; → Cẩm Phả (195) → W.  Tỉnh Kon Tum (62) → Kon Rẫy
(614) → Z.  2025 edition: Quảng Ngãi (51, successor of old Kon Tum) → C;  Quảng Ninh (22, successor of old 22).

Known answers for November 2026 (today = 1 December 2026) are listed in ``EXPECTED``.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.accounts.enums import Role
from apps.catalog.models import Fair, PointOfSale
from apps.certificates.models import Certificate
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState, TargetKind
from apps.cycles.models import Application, ApplicationTransition, Cycle, Plan, Target
from apps.demo.sheets import load_sample_sheets
from apps.evaluation.enums import RoundState, Tier
from apps.evaluation.models import EvaluationRound, RecognitionItem, RoundEntry, SheetTemplate
from apps.geo.enums import Edition
from apps.geo.models import AdministrativeUnit
from apps.producers.models import Producer
from apps.reports.periods import Period
from tests.factories import UserFactory, commune, district, province
from tests.factories.evaluation import DecisionFactory
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory

TODAY = datetime.date(2026, 12, 1)
NOVEMBER = Period.month(2026, 11)
_seq = itertools.count(1)


def aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


class World:
    def __init__(self):
        self.p = province("22", name="Tỉnh Quảng Ninh")
        self.d = district(self.p, "193", name="Thành phố Hạ Long")
        self.x = commune(self.d, "06649", name="Phường Hà Khánh")
        self.y = commune(self.d, "06652", name="Phường Hà Phong")
        self.d2 = district(self.p, "195", name="Thành phố Cẩm Phả")
        self.w = commune(self.d2, "06700", name="Phường Cẩm Trung")
        self.q = province("62", name="Tỉnh Kon Tum")
        self.dq = district(self.q, "614", name="Huyện Kon Rẫy")
        self.z = commune(self.dq, "23482", name="Xã Đắk Kôi")
        self.n51 = province("51", edition=Edition.TWO_TIER_2025, name="Quảng Ngãi")
        self.c = commune(self.n51, "23500", name="Xã Đăk Kôi")
        self.n22 = province("22", edition=Edition.TWO_TIER_2025, name="Quảng Ninh")
        AdministrativeUnit.objects.filter(pk=self.q.pk).update(successor=self.n51)
        AdministrativeUnit.objects.filter(pk=self.p.pk).update(successor=self.n22)
        self.officer = UserFactory(role=Role.PROVINCE_OFFICER, unit=self.p)
        self.cycle = Cycle.objects.create(unit=self.p, year=2026, rule_set=RuleSet.QD148_2023, name="Chu trình 2026")
        self.cycle_2025 = Cycle.objects.create(
            unit=self.n51, year=2026, rule_set=RuleSet.QD1489_2025, name="Chu trình 2026 Quảng Ngãi"
        )

    def producer(self, unit, kind="htx", workers=0, women=0, ethnic=0):
        return ProducerFactory(
            commune=unit,
            kind=kind,
            workers_count=workers,
            women_workers=women,
            ethnic_minority_workers=ethnic,
            tax_code=None if kind == "tht" else f"58{next(_seq):08d}",
        )

    def product(self, unit, producer=None):
        return ProductFactory(commune=unit, producer=producer or self.producer(unit), tea=True)

    def application(self, product, state, created, cycle=None):
        app = Application.objects.create(
            cycle=cycle or self.cycle,
            product=product,
            state=state,
            created_by=self.officer,
            returned_from=ApplicationState.DOSSIER_SUBMITTED if state == ApplicationState.RETURNED else "",
        )
        Application.objects.filter(pk=app.pk).update(created_at=aware(created))
        return app

    def transition(self, app, to_state, at, reason=""):
        t = ApplicationTransition.objects.create(
            application=app,
            from_state=ApplicationState.IDEA_REGISTERED,
            to_state=to_state,
            by=self.officer,
            reason=reason,
        )
        ApplicationTransition.objects.filter(pk=t.pk).update(at=aware(at))

    def recognise(self, product, stars, on, issuer, valid_from=None, valid_until=None, revoked=None):
        decision = DecisionFactory(issuing_unit=issuer, date=on)
        item = RecognitionItem.objects.create(decision=decision, product=product, stars=stars, total_score=Decimal(75))
        n = next(_seq)
        valid_from = valid_from or on
        return Certificate.objects.create(
            recognition=item,
            product=product,
            serial=f"T-{n:05d}",
            token=f"tok{n:09d}",
            stars=stars,
            valid_from=valid_from,
            valid_until=valid_until or valid_from.replace(year=valid_from.year + 3),
            revoked_at=aware(revoked) if revoked else None,
            revocation_reason="Vi phạm" if revoked else "",
        )


@pytest.fixture
def world(db):
    return build_world()


def build_world():
    w = World()
    nov = datetime.date(2026, 11, 5)
    # Commune X: HTX + DN; two products recognised 3★ in November (decision of the district), both valid.
    px1 = w.product(w.x, w.producer(w.x, "htx", workers=20, women=12, ethnic=0))
    px2 = w.product(w.x, w.producer(w.x, "dn", workers=5, women=1, ethnic=1))
    w.recognise(px1, 3, nov, w.d)
    w.recognise(px2, 3, nov, w.d)
    # An idea registered in November and accepted; another registered in October, rejected in November.
    a1 = w.application(px1, ApplicationState.IDEA_ACCEPTED, nov)
    w.transition(a1, ApplicationState.IDEA_ACCEPTED, datetime.date(2026, 11, 20))
    a2 = w.application(px2, ApplicationState.IDEA_REJECTED, datetime.date(2026, 10, 1))
    w.transition(a2, ApplicationState.IDEA_REJECTED, datetime.date(2026, 11, 2))
    # Commune Y: a household with 10 workers (6 women, 3 ethnic minority): one product 4★ in November whose
    # certificate (from an older decision) expires within 90 days; its application was returned in November.
    py = w.product(w.y, w.producer(w.y, "hkd", workers=10, women=6, ethnic=3))
    w.recognise(
        py,
        4,
        datetime.date(2026, 11, 10),
        w.p,
        valid_from=datetime.date(2024, 1, 15),
        valid_until=datetime.date(2027, 1, 15),
    )
    ay = w.application(py, ApplicationState.RETURNED, datetime.date(2026, 3, 1))
    w.transition(ay, ApplicationState.RETURNED, datetime.date(2026, 11, 25), reason="Thiếu phiếu kiểm nghiệm.")
    # Y's product was 3★ in 2024 (this November's 4★ is an upgrade); Z's was 3★ in 2023 (re-evaluated).
    RecognitionItem.objects.create(
        decision=DecisionFactory(issuing_unit=w.d, date=datetime.date(2024, 3, 1)),
        product=py,
        stars=3,
        total_score=Decimal(60),
    )
    # Commune W: a THT with one revoked certificate and one expired one (older decisions, not in November).
    pw = w.product(w.w, w.producer(w.w, "tht"))
    w.recognise(pw, 3, datetime.date(2023, 5, 1), w.d2, revoked=datetime.date(2026, 6, 1))
    pw2 = w.product(w.w, pw.producer)
    w.recognise(pw2, 3, datetime.date(2023, 6, 1), w.d2, valid_until=datetime.date(2026, 6, 1))
    # Commune Z (old Kon Tum): one product 3★ in November.
    pz = w.product(w.z)
    w.recognise(pz, 3, datetime.date(2026, 11, 12), w.dq)
    RecognitionItem.objects.create(
        decision=DecisionFactory(issuing_unit=w.dq, date=datetime.date(2023, 9, 1)),
        product=pz,
        stars=3,
        total_score=Decimal(61),
    )
    # Commune C (2025 Quảng Ngãi): one product 4★ in November, and an idea registered there.
    pc = w.product(w.c)
    w.recognise(pc, 4, datetime.date(2026, 11, 15), w.n51)
    w.application(pc, ApplicationState.IDEA_REGISTERED, datetime.date(2026, 11, 16), cycle=w.cycle_2025)
    # A district council round of Hạ Long closed in November scored X's two products (70 and 80).
    load_sample_sheets()
    template = SheetTemplate.objects.first()
    rnd = EvaluationRound.objects.create(
        cycle=w.cycle,
        tier=Tier.DISTRICT,
        unit=w.d,
        name="Đợt 1",
        state=RoundState.CLOSED,
        closed_at=aware(datetime.date(2026, 11, 3)),
        created_by=w.officer,
    )
    RoundEntry.objects.create(round=rnd, application=a1, template=template, total=Decimal(70), stars=4)
    RoundEntry.objects.create(round=rnd, application=a2, template=template, total=Decimal(80), stars=4)
    # The province's own showroom carries X's two products; a November fair of Hạ Long shows Y's product.
    pos = PointOfSale.objects.create(name="Trung tâm OCOP Quảng Ninh", slug="tt-ocop-qn", unit=w.p, address="Hạ Long")
    pos.products.set([px1, px2])
    fair = Fair.objects.create(
        name="Hội chợ OCOP Hạ Long",
        slug="hoi-cho-ha-long",
        unit=w.d,
        venue="Hạ Long",
        starts_on=datetime.date(2026, 11, 20),
        ends_on=datetime.date(2026, 11, 25),
    )
    fair.products.set([py])
    # Plans: Hạ Long wants 4 new 3★ products in 2026; the province 1 idea per commune and 2 new 4★.
    plan_d = Plan.objects.create(unit=w.d, year=2026)
    Target.objects.create(plan=plan_d, kind=TargetKind.NEW_THREE_STAR, value=4)
    # Producers and the showroom have existed since January (the figures are a snapshot at the period's end).
    Producer.objects.update(created_at=aware(datetime.date(2026, 1, 2)))
    PointOfSale.objects.update(created_at=aware(datetime.date(2026, 1, 2)))
    plan_p = Plan.objects.create(unit=w.p, year=2026)
    Target.objects.create(plan=plan_p, kind=TargetKind.IDEAS_PER_COMMUNE, value=1)
    Target.objects.create(plan=plan_p, kind=TargetKind.NEW_FOUR_STAR, value=2)
    return w
