"""Demo data of the annual cycle: the 2025 cycles of the four seed provinces, applications of the demo
products spread over every state with a believable history, and yearly plans with targets.

It also opens this year's cycle of each province with windows around the day the demo is seeded, so ideas,
plans and dossiers can be submitted in the demo at once. Runs after the producers and products demo.
Idempotent: a second run changes nothing. Every application goes through the cycles services (the demo replays
what the commune and approving officers did during 2025, dated on days inside the cycle's steps, mailing nobody).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState as S
from apps.cycles.enums import CycleStep, TargetKind
from apps.cycles.models import Application, Cycle, CycleStepPeriod, Plan, Target
from apps.cycles.services import TRANSITIONS, application_create, application_transition, dossier_update
from apps.cycles.workflow import approving_role
from apps.demo.accounts import unit_officer
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.products.models import Product

YEAR = 2025
# Quảng Ninh and Kon Tum keep the three-tier flow; Huế and Cần Thơ run the 2025 two-tier one.
CYCLES = [
    (Edition.THREE_TIER_2024, "22", RuleSet.QD148_2023),
    (Edition.THREE_TIER_2024, "62", RuleSet.QD148_2023),
    (Edition.TWO_TIER_2025, "46", RuleSet.QD1489_2025),
    (Edition.TWO_TIER_2025, "92", RuleSet.QD1489_2025),
]
STEP_DATES = {
    CycleStep.PUBLICITY: ((1, 2), (2, 28)),
    CycleStep.IDEAS: ((2, 1), (4, 30)),
    CycleStep.PLANS: ((4, 1), (6, 30)),
    CycleStep.IMPLEMENTATION: ((6, 1), (9, 30)),
    CycleStep.EVALUATION: ((8, 1), (11, 30)),
    CycleStep.PROMOTION: ((10, 1), (12, 31)),
}
# The path of legal moves that leads from idea_registered to each state (returned: from the given check).
MAIN_PATH = [S.IDEA_ACCEPTED, S.PLAN_SUBMITTED, S.IMPLEMENTING, S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED,
             S.SENT_FOR_EVALUATION]  # fmt: skip
TARGET_STATES = [
    S.IDEA_REGISTERED,
    S.IDEA_ACCEPTED,
    S.IDEA_REJECTED,
    S.PLAN_SUBMITTED,
    S.IMPLEMENTING,
    S.DOSSIER_SUBMITTED,
    S.DOSSIER_CHECKED,
    S.SENT_FOR_EVALUATION,
    S.SENT_FOR_EVALUATION,
    (S.RETURNED, S.DOSSIER_SUBMITTED),
    (S.RETURNED, S.PLAN_SUBMITTED),
    (S.RETURNED, S.DOSSIER_CHECKED),
]
RETURN_REASONS = {
    S.IDEA_REGISTERED: "Cần mô tả rõ nguồn nguyên liệu và quy mô sản xuất.",
    S.PLAN_SUBMITTED: "Phương án chưa có kế hoạch tài chính; đề nghị bổ sung.",
    S.DOSSIER_SUBMITTED: "Thiếu phiếu kết quả kiểm nghiệm chất lượng sản phẩm còn hiệu lực.",
    S.DOSSIER_CHECKED: "Ảnh sản phẩm và nhãn bao bì chưa đúng với mẫu đăng ký; đề nghị chụp lại.",
}
# When each move is replayed (plus the application's offset): days after the start of a step's window. In the
# 2025 cycles (STEP_DATES): ideas registered on 10 February, accepted on 3 March, plans on 14 April and approved on
# 12 May, dossiers on 4 August, checked on 11 August and sent up on 18 August.
REPLAY_DAYS = {
    S.IDEA_REGISTERED: (CycleStep.IDEAS, 9),
    S.IDEA_ACCEPTED: (CycleStep.IDEAS, 30),
    S.IDEA_REJECTED: (CycleStep.IDEAS, 30),
    S.PLAN_SUBMITTED: (CycleStep.PLANS, 13),
    S.IMPLEMENTING: (CycleStep.PLANS, 41),
    S.DOSSIER_SUBMITTED: (CycleStep.EVALUATION, 3),
    S.DOSSIER_CHECKED: (CycleStep.EVALUATION, 10),
    S.SENT_FOR_EVALUATION: (CycleStep.EVALUATION, 17),
}
RETURN_AFTER_DAYS = 14
# The days between the ideas and plans windows in STEP_DATES: a cycle whose windows are closer (this year's,
# opened around the day of seeding) replays its moves with the offsets scaled down in proportion.
IDEAS_TO_PLANS_DAYS = 59
REJECT_REASON = "Sản phẩm trùng với ý tưởng đã đăng ký của cùng chủ thể."
TARGETS = {
    TargetKind.IDEAS_PER_COMMUNE: 1,
    TargetKind.NEW_THREE_STAR: 20,
    TargetKind.NEW_FOUR_STAR: 5,
    TargetKind.NEW_FIVE_STAR: 1,
    TargetKind.KEY_PRODUCTS_PER_DISTRICT: 2,
}


def _path_to(target):
    """The moves from idea_registered to ``target`` (a state, or (returned, the check it was returned from))."""
    if isinstance(target, tuple):
        _state, returned_from = target
        steps = [] if returned_from == S.IDEA_REGISTERED else MAIN_PATH[: MAIN_PATH.index(returned_from) + 1]
        return [*steps, S.RETURNED]
    if target == S.IDEA_REJECTED:
        return [S.IDEA_REJECTED]
    if target == S.IDEA_REGISTERED:
        return []
    return MAIN_PATH[: MAIN_PATH.index(target) + 1]


def _actors(commune, cycle):
    """The commune's officer and the approving tier's (its district under 148, the cycle's province under 1489)."""
    approving_unit = commune.parent if cycle.rule_set == RuleSet.QD148_2023 else cycle.unit
    return {
        "commune": unit_officer(role=Role.COMMUNE_OFFICER, unit=commune),
        "approving": unit_officer(role=approving_role(cycle.rule_set), unit=approving_unit),
    }


def _seed_cycle(edition, code, rule_set):
    unit = AdministrativeUnit.objects.filter(edition=edition, level=Level.PROVINCE, code=code).first()
    if unit is None:
        return None
    cycle, _created = Cycle.objects.get_or_create(
        unit=unit, year=YEAR, defaults={"rule_set": rule_set, "name": f"Chu trình OCOP năm {YEAR} — {unit.name}"}
    )
    for step, ((m1, d1), (m2, d2)) in STEP_DATES.items():
        CycleStepPeriod.objects.get_or_create(
            cycle=cycle,
            step=step,
            defaults={"starts_on": datetime.date(YEAR, m1, d1), "ends_on": datetime.date(YEAR, m2, d2)},
        )
    return cycle


def open_windows(today):
    """Six ordered windows around ``today``: every dated step of the current cycle is open in the demo."""
    return {
        step: (today - datetime.timedelta(days=70 - 10 * step), today + datetime.timedelta(days=20 + 10 * step))
        for step in CycleStep.values
    }


def _seed_current_cycle(edition, code, rule_set):
    """This year's cycle, open for ideas, plans and dossiers today (its dates follow the day the demo is seeded)."""
    unit = AdministrativeUnit.objects.filter(edition=edition, level=Level.PROVINCE, code=code).first()
    today = timezone.localdate()
    if unit is None or today.year == YEAR:
        return None
    cycle, created = Cycle.objects.get_or_create(
        unit=unit,
        year=today.year,
        defaults={"rule_set": rule_set, "name": f"Chu trình OCOP năm {today.year} — {unit.name}"},
    )
    if created:
        CycleStepPeriod.objects.bulk_create(
            CycleStepPeriod(cycle=cycle, step=step, starts_on=starts, ends_on=ends)
            for step, (starts, ends) in open_windows(today).items()
        )
    return cycle


def _fill_dossier(application, product, index, by):
    producer = product.producer
    scores = {"A1": 3 + index % 3, "A2": 4, "A3": 2 + index % 4, "B1": 3, "B2": 2 + index % 2, "C1": 4, "C2": 5}
    dossier_update(
        application=application,
        by=by,
        self_assessment=scores,
        applicant_name=getattr(producer, "legal_representative", "") or producer.name,
        applicant_position="Giám đốc" if producer.kind in ("htx", "dn") else "Chủ cơ sở",
        phone=getattr(producer, "phone", ""),
        production_address=producer.address,
        annual_capacity=f"{(index % 7 + 1) * 5} tấn/năm",
        raw_materials="Nguyên liệu tại địa phương, có hợp đồng liên kết với các hộ dân.",
        markets="Tiêu thụ trong tỉnh, hội chợ OCOP và sàn thương mại điện tử.",
        sample_count=5 if product.product_set.needs_samples else None,
    )


def _replay_clock(cycle):
    """``replayed_at(state, index, previous)`` for ``cycle``: when its move to ``state`` is replayed, inside the
    step's window of the cycle (``REPLAY_DAYS``), 14 days after the move before for a return; the application's own
    offset of up to two weeks keeps the moves in order. Closer windows scale every offset down."""
    starts = {step: datetime.date(cycle.year, *start) for step, (start, _end) in STEP_DATES.items()}
    starts.update(cycle.steps.values_list("step", "starts_on"))
    scale = min(1.0, (starts[CycleStep.PLANS] - starts[CycleStep.IDEAS]).days / IDEAS_TO_PLANS_DAYS)

    def replayed_at(state, index, previous):
        if state == S.RETURNED:
            return previous + datetime.timedelta(days=RETURN_AFTER_DAYS * scale)
        step, days = REPLAY_DAYS[state]
        morning = datetime.datetime.combine(starts[step], datetime.time(9), tzinfo=timezone.get_current_timezone())
        return morning + datetime.timedelta(days=(days + index % 15) * scale)

    return replayed_at


def replay_application(*, cycle, product, target, index, actors=None):
    """Register ``product``'s idea in ``cycle`` and move it to ``target`` through the cycles services, as the
    commune and approving officers did on the days of YEAR in ``REPLAY_DAYS`` (nobody is mailed).

    Each move is dated through the services' ``at`` (the replayed day), so the dashboards count the moves in the
    months they happened. ``actors``: the officers of the product's commune (``_actors``) when the caller already
    has them.
    """
    actors = actors or _actors(product.commune, cycle)
    replayed_at = _replay_clock(cycle)
    at = replayed_at(S.IDEA_REGISTERED, index, None)
    application = application_create(cycle=cycle, product=product, by=actors["commune"], at=at, notify=False)
    state = S.IDEA_REGISTERED
    for to_state in _path_to(target):
        at = replayed_at(to_state, index, at)
        tiers = TRANSITIONS[(state, to_state)]
        by = actors["commune"] if "commune" in tiers else actors["approving"]
        reason = RETURN_REASONS[state] if to_state == S.RETURNED else ""
        reason = REJECT_REASON if to_state == S.IDEA_REJECTED else reason
        application_transition(application=application, to_state=to_state, by=by, reason=reason, at=at, notify=False)
        if to_state == S.IMPLEMENTING:
            _fill_dossier(application, product, index, actors["commune"])
        state = to_state
    return application


def seed_application(cycle, product, target, index, actors):
    """``replay_application`` unless the product already has its application in ``cycle``; ``actors`` caches the
    officers of each commune and cycle between calls."""
    if Application.objects.filter(cycle=cycle, product=product).exists():
        return None
    key = (product.commune_id, cycle.pk)
    if key not in actors:
        actors[key] = _actors(product.commune, cycle)
    return replay_application(cycle=cycle, product=product, target=target, index=index, actors=actors[key])


def _seed_plans(cycles):
    for cycle in cycles:
        plan, _created = Plan.objects.get_or_create(
            unit=cycle.unit, year=YEAR, defaults={"title": f"Kế hoạch thực hiện Chương trình OCOP năm {YEAR}"}
        )
        for kind, value in TARGETS.items():
            if kind == TargetKind.KEY_PRODUCTS_PER_DISTRICT and cycle.rule_set != RuleSet.QD148_2023:
                continue
            Target.objects.get_or_create(plan=plan, kind=kind, defaults={"value": value})


@transaction.atomic
def seed():
    if not User.objects.filter(role=Role.SYSTEM_ADMIN).exists():
        return
    actors = {}
    cycles = [c for c in (_seed_cycle(*spec) for spec in CYCLES) if c is not None]
    for cycle in cycles:
        products = (
            Product.objects.filter(commune__path__startswith=cycle.unit.path)
            .select_related("commune", "producer", "product_set")
            .order_by("pk")
        )
        for index, product in enumerate(products):
            seed_application(cycle, product, TARGET_STATES[index % len(TARGET_STATES)], index, actors)
    _seed_plans(cycles)
    for spec in CYCLES:
        _seed_current_cycle(*spec)
