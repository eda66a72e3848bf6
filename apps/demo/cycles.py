"""Demo data of the annual cycle: the 2025 cycles of the four seed provinces, applications of the demo
products spread over every state with a believable history, and yearly plans with targets.

It also opens this year's cycle of each province with windows around the day the demo is seeded, so ideas,
plans and dossiers can be submitted in the demo at once. Runs after the producers and products demo.
Idempotent: a second run changes nothing. The history rows are written directly (the demo replays what
officers did during 2025), so no e-mail is sent while seeding.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState as S
from apps.cycles.enums import CycleStep, TargetKind
from apps.cycles.models import Application, ApplicationTransition, Cycle, CycleStepPeriod, Dossier, Plan, Target
from apps.cycles.services import TRANSITIONS, self_assessment_totals
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
REJECT_REASON = "Sản phẩm trùng với ý tưởng đã đăng ký của cùng chủ thể."
TARGETS = {
    TargetKind.IDEAS_PER_COMMUNE: 1,
    TargetKind.NEW_THREE_STAR: 20,
    TargetKind.NEW_FOUR_STAR: 5,
    TargetKind.NEW_FIVE_STAR: 1,
    TargetKind.KEY_PRODUCTS_PER_DISTRICT: 2,
}


def _path_to(target):
    if isinstance(target, tuple):
        _state, returned_from = target
        steps = [] if returned_from == S.IDEA_REGISTERED else MAIN_PATH[: MAIN_PATH.index(returned_from) + 1]
        return [*steps, S.RETURNED], returned_from
    if target == S.IDEA_REJECTED:
        return [S.IDEA_REJECTED], ""
    if target == S.IDEA_REGISTERED:
        return [], ""
    return MAIN_PATH[: MAIN_PATH.index(target) + 1], ""


def _actors(commune, rule_set, fallback):
    commune_officer = User.objects.filter(role=Role.COMMUNE_OFFICER, unit=commune, is_active=True).first()
    approving_role = Role.DISTRICT_OFFICER if rule_set == RuleSet.QD148_2023 else Role.PROVINCE_OFFICER
    parts = commune.path.strip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) + "/" for i in range(1, len(parts))]
    approver = User.objects.filter(role=approving_role, unit__path__in=prefixes, is_active=True).first()
    return {"commune": commune_officer or fallback, "approving": approver or fallback}


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


def _fill_dossier(application, product, index):
    producer = product.producer
    scores = {"A1": 3 + index % 3, "A2": 4, "A3": 2 + index % 4, "B1": 3, "B2": 2 + index % 2, "C1": 4, "C2": 5}
    Dossier.objects.update_or_create(
        application=application,
        defaults={
            "applicant_name": getattr(producer, "legal_representative", "") or producer.name,
            "applicant_position": "Giám đốc" if producer.kind in ("htx", "dn") else "Chủ cơ sở",
            "phone": getattr(producer, "phone", ""),
            "production_address": producer.address,
            "annual_capacity": f"{(index % 7 + 1) * 5} tấn/năm",
            "raw_materials": "Nguyên liệu tại địa phương, có hợp đồng liên kết với các hộ dân.",
            "markets": "Tiêu thụ trong tỉnh, hội chợ OCOP và sàn thương mại điện tử.",
            "sample_count": 5 if product.product_set.needs_samples else None,
            "self_assessment": scores,
            "self_assessment_totals": self_assessment_totals(scores),
        },
    )


def _seed_application(cycle, product, target, index, fallback):
    if Application.objects.filter(cycle=cycle, product=product).exists():
        return None
    actors = _actors(product.commune, cycle.rule_set, fallback)
    path, returned_from = _path_to(target)
    final = path[-1] if path else S.IDEA_REGISTERED
    application = Application.objects.create(
        cycle=cycle,
        product=product,
        state=final,
        returned_from=returned_from if final == S.RETURNED else "",
        created_by=actors["commune"],
    )
    started = datetime.datetime(YEAR, 2, 10 + index % 15, 9, 0, tzinfo=timezone.get_current_timezone())
    Application.objects.filter(pk=application.pk).update(created_at=started)
    state = S.IDEA_REGISTERED
    for n, to_state in enumerate(path, start=1):
        tiers = TRANSITIONS[(state, to_state)]
        by = actors["commune"] if "commune" in tiers else actors["approving"]
        reason = (
            RETURN_REASONS[state] if to_state == S.RETURNED else (REJECT_REASON if to_state == S.IDEA_REJECTED else "")
        )
        row = ApplicationTransition.objects.create(
            application=application, from_state=state, to_state=to_state, by=by, reason=reason
        )
        ApplicationTransition.objects.filter(pk=row.pk).update(at=started + datetime.timedelta(days=21 * n))
        state = to_state
    if S.IMPLEMENTING in path:
        _fill_dossier(application, product, index)
    else:
        Dossier.objects.get_or_create(application=application)
    return application


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
    fallback = User.objects.filter(role=Role.SYSTEM_ADMIN).order_by("pk").first()
    if fallback is None:
        return
    cycles = [c for c in (_seed_cycle(*spec) for spec in CYCLES) if c is not None]
    for cycle in cycles:
        products = (
            Product.objects.filter(commune__path__startswith=cycle.unit.path)
            .select_related("commune", "producer", "product_set")
            .order_by("pk")
        )
        for index, product in enumerate(products):
            _seed_application(cycle, product, TARGET_STATES[index % len(TARGET_STATES)], index, fallback)
    _seed_plans(cycles)
    for spec in CYCLES:
        _seed_current_cycle(*spec)
