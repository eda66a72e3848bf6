"""The cast of the permission tests: one account per role variant around commune X of the shared tree.

``build_cast(tree)`` returns the 13 variants the truth tables and the permission matrix use, keyed by name:
the public, a producer linked to the producer of commune X (``producer_own``) and one linked to nobody there,
commune/district/province officers of X's units (``*_same``) and of others (``*_other``), a council member seated
on an open round of district d and one of the same district not seated, the central officer and the system admin.
"""

import datetime

from django.contrib.auth.models import AnonymousUser

from apps.accounts.enums import Role
from apps.catalog.models import PointOfSale
from apps.cycles.enums import ApplicationState
from apps.demo.sheets import load_sample_sheets
from apps.evaluation.enums import MemberRole, RoundState, Tier
from apps.evaluation.models import CouncilMember, EvaluationRound, RoundEntry, SheetTemplate
from apps.traceability.models import Lot, ProductionSite, StampBatch
from tests.factories import UserFactory
from tests.factories.catalog import certify
from tests.factories.cycles import ApplicationFactory, CycleFactory
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.factories.reports import ReportFactory

ROLES = (
    "anonymous",
    "producer_own",
    "producer_other",
    "commune_same",
    "commune_other",
    "district_same",
    "district_other",
    "council_seated",
    "council_unseated",
    "province_same",
    "province_other",
    "central",
    "admin",
)


def build_cast(tree):
    make = UserFactory
    return {
        "anonymous": AnonymousUser(),
        "producer_own": make(role=Role.PRODUCER, unit=tree.x, email="cast.chuthe@ocop.example"),
        "producer_other": make(role=Role.PRODUCER, unit=tree.x, email="cast.chuthe.khac@ocop.example"),
        "commune_same": make(role=Role.COMMUNE_OFFICER, unit=tree.x, email="cast.xa@ocop.example"),
        "commune_other": make(role=Role.COMMUNE_OFFICER, unit=tree.y, email="cast.xa.khac@ocop.example"),
        "district_same": make(role=Role.DISTRICT_OFFICER, unit=tree.d, email="cast.huyen@ocop.example"),
        "district_other": make(role=Role.DISTRICT_OFFICER, unit=tree.dq, email="cast.huyen.khac@ocop.example"),
        "council_seated": make(role=Role.COUNCIL_MEMBER, unit=tree.d, email="cast.hoidong@ocop.example"),
        "council_unseated": make(role=Role.COUNCIL_MEMBER, unit=tree.d, email="cast.hoidong.khac@ocop.example"),
        "province_same": make(role=Role.PROVINCE_OFFICER, unit=tree.p, email="cast.tinh@ocop.example"),
        "province_other": make(role=Role.PROVINCE_OFFICER, unit=tree.q, email="cast.tinh.khac@ocop.example"),
        "central": make(role=Role.CENTRAL_OFFICER, unit=None, email="cast.tw@ocop.example"),
        "admin": make(
            role=Role.SYSTEM_ADMIN, unit=None, email="cast.admin@ocop.example", is_staff=True, is_superuser=True
        ),
    }


def seat(round, user, role=MemberRole.MEMBER):
    """Seat ``user`` on ``round`` directly (the services' rules on who may sit are tested in tests/evaluation)."""
    return CouncilMember.objects.create(round=round, user=user, role=role)


def table(spec):
    """Expand a compact truth-table row (one letter per role of :data:`ROLES`, ``Y`` or ``.``) to booleans."""
    assert len(spec) == len(ROLES), spec
    return {role: flag == "Y" for role, flag in zip(ROLES, spec, strict=True)}


def build_world(tree):
    """The records the truth tables look at, on both sides of every boundary of the cast.

    Commune X (district d, province p) holds producer X (linked to ``producer_own``) with a product, an application
    on an open district round of d (``council_seated`` sits on it), a certificate, a site, a lot and a stamp batch;
    commune Z (district dq, province q) holds the same for producer Z, linked to nobody of the cast. Reports exist
    for X, d, p and q; points of sale for p and q.
    """
    cast = build_cast(tree)
    load_sample_sheets()
    template = SheetTemplate.objects.order_by("pk").first()
    world = {"cast": cast, "tree": tree}
    for key, commune, cycle_unit in (("x", tree.x, tree.p), ("z", tree.z, tree.q)):
        producer = ProducerFactory(commune=commune)
        product = ProductFactory(commune=commune, producer=producer)
        cycle = CycleFactory(unit=cycle_unit)
        application = ApplicationFactory(
            cycle=cycle,
            product=product,
            state=ApplicationState.SENT_FOR_EVALUATION,
            created_by=cast["commune_same"],
        )
        site = ProductionSite.objects.create(producer=producer, name="Xưởng", commune=commune, address="Thôn 1")
        lot = Lot.objects.create(
            product=product, code=f"LO{key.upper()}1", produced_on=datetime.date(2026, 1, 5), quantity=10
        )
        batch = StampBatch.objects.create(product=product, lot=lot, quantity=10, requested_by=cast["admin"])
        world.update(
            {
                f"producer_{key}": producer,
                f"product_{key}": product,
                f"cycle_{key}": cycle,
                f"application_{key}": application,
                f"certificate_{key}": certify(product),
                f"site_{key}": site,
                f"lot_{key}": lot,
                f"batch_{key}": batch,
            }
        )
    world["producer_x"].accounts.add(cast["producer_own"])
    open_round = EvaluationRound.objects.create(
        cycle=world["cycle_x"], tier=Tier.DISTRICT, unit=tree.d, name="Đợt mở", created_by=cast["district_same"]
    )
    RoundEntry.objects.create(round=open_round, application=world["application_x"], template=template)
    seat(open_round, cast["council_seated"], MemberRole.CHAIR)
    closed_round = EvaluationRound.objects.create(
        cycle=world["cycle_z"],
        tier=Tier.DISTRICT,
        unit=tree.dq,
        name="Đợt đã đóng",
        state=RoundState.CLOSED,
        created_by=cast["district_other"],
    )
    RoundEntry.objects.create(round=closed_round, application=world["application_z"], template=template)
    world["round_open"], world["round_closed"] = open_round, closed_round
    for key, unit in (("x", tree.x), ("d", tree.d), ("p", tree.p), ("q", tree.q)):
        world[f"report_{key}"] = ReportFactory(unit=unit)
    for key, unit in (("p", tree.p), ("q", tree.q)):
        world[f"point_of_sale_{key}"] = PointOfSale.objects.create(
            name=f"Điểm bán {key}", slug=f"diem-ban-{key}", unit=unit, address="Số 1 phố Thử"
        )
    return type("World", (), world)


def mismatches(world, perm, expected, selector=None):
    """Every (role, object) where ``perm`` (or, with ``selector``, the list it filters) differs from ``expected``.

    ``expected`` maps a world attribute (or None for a permission without object) to a :func:`table` row.
    """
    found = []
    for role in ROLES:
        user = world.cast[role]
        visible = set(selector(user).values_list("pk", flat=True)) if selector else None
        for key, row in expected.items():
            obj = getattr(world, key) if key else None
            allowed = user.has_perm(perm, obj) if obj is not None else user.has_perm(perm)
            if allowed is not row[role]:
                found.append((perm, role, key, allowed))
            if selector is not None and (obj.pk in visible) is not row[role]:
                found.append((selector.__name__, role, key, obj.pk in visible))
    return found
