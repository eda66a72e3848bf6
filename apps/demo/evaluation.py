"""Demo councils: the sample sheets, and completed rounds with scores, minutes and recognition decisions.

Kon Tum and Quảng Ninh run qd148-2023 (district council, then province, forwarding the best to central);
Huế and Cần Thơ run qd1489-2025 (commune pre-check, then province). The results include 3★, 4★, products
without recognition and 5★ candidates forwarded to the central council. Runs after the cycles demo and reuses
its 2025 cycles (creating them when absent). Idempotent: a round that exists is left as it is.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.core.enums import RuleSet
from apps.cycles.enums import ApplicationState
from apps.cycles.models import Application, Cycle
from apps.demo.accounts import DEMO_PASSWORD
from apps.demo.cycles import replay_application
from apps.demo.producers import seed_documents
from apps.demo.sheets import load_sample_sheets
from apps.evaluation import services
from apps.evaluation.enums import MemberRole, Tier
from apps.evaluation.models import EvaluationRound
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.producers.enums import ProducerKind
from apps.producers.models import Producer
from apps.producers.services import producer_create
from apps.products.models import Product, ProductSet
from apps.products.services import product_create

YEAR = 2025


@dataclass(frozen=True)
class DemoProduct:
    slug: str
    name: str
    set_code: str
    producer: str
    commune_index: int
    # Target totals per tier (the members score around them).
    scores: dict


def _p(slug, name, set_code, producer, commune_index, **scores):
    return DemoProduct(slug, name, set_code, producer, commune_index, scores)


# (edition, province, district for our own products or None, rule set, products). The cycles demo's applications
# sent up for evaluation are used first, in order; these products fill in when there are too few.
PLANS = [
    (
        Edition.THREE_TIER_2024,
        "62",
        "614",
        RuleSet.QD148_2023,
        [
            _p(
                "tra-dinh-lang-kon-ray", "Trà đinh lăng Kon Rẫy", "TP12", "Tổ hợp tác Dược liệu Đắk Kôi", 0, district=64
            ),
            _p(
                "mat-ong-hoa-ca-phe-dak-ruong",
                "Mật ong hoa cà phê Đắk Ruồng",
                "TP04",
                "Tổ hợp tác Nuôi ong Đắk Ruồng",
                1,
                district=78,
                province=82,
            ),  # fmt: skip
            _p("mang-le-say-tan-lap", "Măng le sấy Tân Lập", "TP07", "Tổ hợp tác Măng rừng Tân Lập", 0, district=44),
        ],
    ),
    (
        Edition.THREE_TIER_2024,
        "22",
        "193",
        RuleSet.QD148_2023,
        [
            _p(
                "cha-ca-thu-hon-gai",
                "Chả cá thu Hòn Gai",
                "TP08",
                "Tổ hợp tác Thủy sản Hòn Gai",
                0,
                district=93,
                province=92,
            ),  # fmt: skip
            _p("mam-ruoc-bai-chay", "Mắm ruốc Bãi Cháy", "TP09", "Tổ hợp tác Mắm ruốc Bãi Cháy", 1, district=58),
            _p(
                "khan-theu-hoa-hon-gai",
                "Khăn thêu hoa Hòn Gai",
                "TC02",
                "Tổ hợp tác Thêu tay Hòn Gai",
                0,
                district=76,
                province=80,
            ),  # fmt: skip
        ],
    ),
    (
        Edition.TWO_TIER_2025,
        "46",
        None,
        RuleSet.QD1489_2025,
        [
            _p(
                "banh-ram-it-thuan-hoa",
                "Bánh ram ít Thuận Hóa",
                "TP06",
                "Tổ hợp tác Bánh ram ít Thuận Hóa",
                0,
                province=66,
            ),  # fmt: skip
            _p("cao-la-vang-hue", "Cao lá vằng Huế", "DL01", "Tổ hợp tác Dược liệu Thuận Hóa", 1, province=81),
            _p("quat-giay-phu-cam", "Quạt giấy Phú Cam", "TC01", "Tổ hợp tác Quạt giấy Phú Cam", 0, precheck=False),
        ],
    ),
    (
        Edition.TWO_TIER_2025,
        "92",
        None,
        RuleSet.QD1489_2025,
        [
            _p("keo-dua-cai-rang", "Kẹo dừa Cái Răng", "TP06", "Tổ hợp tác Kẹo dừa Cái Răng", 0, province=73),
            _p("mut-khom-o-mon", "Mứt khóm Ô Môn", "TP07", "Tổ hợp tác Mứt khóm Ô Môn", 1, province=91),
        ],
    ),
]

COUNCIL_NAMES = [
    ("Nguyễn Thị Thu Hà", MemberRole.CHAIR),
    ("Trần Quốc Bảo", MemberRole.SECRETARY),
    ("Lê Minh Tuấn", MemberRole.MEMBER),
    ("Phạm Thị Lan", MemberRole.MEMBER),
    ("Hoàng Văn Nam", MemberRole.ADVISORY),
]
# The members score a little apart, inside the 10-point spread rule.
MEMBER_OFFSETS = [Decimal(0), Decimal(-2), Decimal(2), Decimal(1)]


def choices_for_target(template, target, *, skip_mandatory=()):
    """Options (``{criterion_id: option_id}``) adding up to ``target`` or just under it.

    Starts from every best option and lowers criteria one step at a time from the end of the sheet. A mandatory
    criterion stays met (never below its lowest option worth points) unless its code is in ``skip_mandatory``,
    which gives it its 0-point option.
    """
    criteria = list(template.criteria.prefetch_related("options").order_by("group__part__order", "order"))
    picks = {}
    for c in criteria:
        options = sorted(c.options.all(), key=lambda o: o.points)
        picks[c] = options[0] if c.code in skip_mandatory else options[-1]
    total = sum(o.points for o in picks.values())
    changed = True
    while total > target and changed:
        changed = False
        for c in reversed(criteria):
            if total <= target:
                break
            if c.code in skip_mandatory:
                continue
            options = sorted(c.options.all(), key=lambda o: o.points)
            i = options.index(picks[c])
            floor = 1 if c.mandatory_for_stars else 0
            if i > floor:
                total -= picks[c].points - options[i - 1].points
                picks[c] = options[i - 1]
                changed = True
    return {c.pk: o.pk for c, o in picks.items()}


def _council_users(unit, slug):
    """The unit's demo council members first (e.g. hoidong.konray), then generated ones up to five seats."""
    users = list(User.objects.filter(role=Role.COUNCIL_MEMBER, unit=unit, is_active=True).order_by("pk")[:5])
    for index, (name, _role) in enumerate(COUNCIL_NAMES, start=1):
        if len(users) == len(COUNCIL_NAMES):
            break
        user, created = User.objects.get_or_create(
            email=f"hoidong.{slug}.{index}@ocop.example",
            defaults={"full_name": name, "role": Role.COUNCIL_MEMBER, "unit": unit, "is_active": True},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if user not in users:
            users.append(user)
    return [(user, role) for user, (_name, role) in zip(users, COUNCIL_NAMES, strict=False)]


def _product(spec, commune, by):
    """The spec's product, registered through the producers and products services (with the producer's vault
    documents, which its dossier needs) when the demo products do not have it."""
    product = Product.objects.filter(slug=spec.slug).first()
    if product is None:
        producer = Producer.objects.filter(name=spec.producer, commune=commune).first()
        if producer is None:
            producer = producer_create(
                by=by,
                name=spec.producer,
                kind=ProducerKind.COOPERATIVE_GROUP,
                commune=commune,
                address=commune.name,
                legal_representative="Trưởng tổ hợp tác",
            )
            seed_documents(producer, len(spec.slug), by)
        product = product_create(
            by=by,
            name=spec.name,
            product_set=ProductSet.objects.get(code=spec.set_code),
            producer=producer,
            commune=commune,
            description=f"{spec.name} — sản phẩm OCOP tiêu biểu của {commune.name}.",
        )
    return product


def _scored_round(cycle, tier, unit, entries, by, slug, when):
    """A council round scored around each application's target, closed by its chair."""
    round = services.round_create(
        cycle=cycle,
        tier=tier,
        unit=unit,
        name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP {unit.name} năm {YEAR}",
        council_decision_number=f"{100 + unit.pk % 800}/QĐ-UBND",
        council_decision_date=when,
        council_decision_signer=f"Chủ tịch UBND {unit.name}",
        by=by,
    )
    members = []
    for user, role in _council_users(unit, slug):
        members.append(services.member_add(round=round, user=user, role=role, by=by))
    scoring = [m for m in members if m.role != MemberRole.ADVISORY]
    for application, target in entries:
        entry = services.entry_add(round=round, application=application, by=by)
        for member, offset in zip(scoring, MEMBER_OFFSETS, strict=False):
            sheet = services.sheet_open(entry=entry, member=member)
            choices = choices_for_target(entry.template, Decimal(target) + offset)
            services.sheet_save(sheet=sheet, choices=choices, by=member.user, submit=True)
    services.round_close(round=round, by=scoring[0].user)
    return round


def _decide(round, unit, by, when, number):
    services.decision_record(
        round=round,
        number=number,
        date=when,
        issuer_name=f"Ủy ban nhân dân {unit.name}",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn Quyết",
        by=by,
    )


def _application(cycle, product, index):
    """The product's application in ``cycle``; a new one is replayed up to sent_for_evaluation by the officers."""
    application = Application.objects.filter(cycle=cycle, product=product).first()
    return application or replay_application(
        cycle=cycle, product=product, target=ApplicationState.SENT_FOR_EVALUATION, index=index
    )


def _applications(cycle, province, district_code, specs, by):
    """The cycle's applications sent up for evaluation (the cycles demo), completed with our own products."""
    pool = list(
        Application.objects.filter(cycle=cycle, state=ApplicationState.SENT_FOR_EVALUATION)
        .exclude(round_entries__isnull=False)
        .select_related("product__commune__parent", "product__product_set")
        .order_by("pk")
    )
    if district_code:
        pool = [a for a in pool if a.product.commune.parent.level == Level.DISTRICT]
    parent = province
    if district_code:
        parent = AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT, code=district_code).first()
    communes = list(AdministrativeUnit.objects.filter(level=Level.COMMUNE, parent=parent).order_by("code")[:2])
    chosen = []
    for index, spec in enumerate(specs):
        if index < len(pool):
            chosen.append((spec, pool[index]))
        elif communes:
            product = _product(spec, communes[spec.commune_index % len(communes)], by)
            application = _application(cycle, product, index)
            # A product the cycles demo left at an earlier step is not evaluated.
            if application.state == ApplicationState.SENT_FOR_EVALUATION:
                chosen.append((spec, application))
    return chosen


def _grouped(pairs, key):
    groups = {}
    for spec, application in pairs:
        groups.setdefault(key(application), []).append((spec, application))
    return groups


@transaction.atomic
def _seed_province(edition, code, district_code, rule_set, specs, by):
    province = AdministrativeUnit.objects.filter(edition=edition, level=Level.PROVINCE, code=code).first()
    if province is None:
        return
    cycle, _created = Cycle.objects.get_or_create(
        unit=province,
        year=YEAR,
        defaults={"rule_set": rule_set, "name": f"Chu trình OCOP năm {YEAR} — {province.name}"},
    )
    if EvaluationRound.objects.filter(cycle=cycle).exists():
        return
    pairs = _applications(cycle, province, district_code, specs, by)
    slug = f"{edition}-{code}"
    if rule_set == RuleSet.QD148_2023:
        for district, group in _grouped(pairs, lambda a: a.product.commune.parent).items():
            district_round = _scored_round(
                cycle,
                Tier.DISTRICT,
                district,
                [(a, s.scores["district"]) for s, a in group],
                by,
                f"{slug}-{district.code}",
                datetime.date(YEAR, 8, 5),
            )
            _decide(district_round, district, by, datetime.date(YEAR, 9, 10), f"{2100 + int(district.code)}/QĐ-UBND")
    else:
        for commune, group in _grouped(pairs, lambda a: a.product.commune).items():
            pre = services.round_create(
                cycle=cycle, tier=Tier.COMMUNE, unit=commune, name=f"Rà soát sản phẩm OCOP {commune.name}", by=by
            )
            for spec, application in group:
                entry = services.entry_add(round=pre, application=application, by=by)
                passed = spec.scores.get("precheck", True)
                services.precheck_record(
                    entry=entry,
                    by=by,
                    passed=passed,
                    reason="Đủ điều kiện chuyển lên hội đồng cấp tỉnh."
                    if passed
                    else "Chủ thể chưa có phiếu kiểm nghiệm chất lượng sản phẩm; đề nghị bổ sung ở chu trình sau.",
                    local_materials=True,
                    local_producer=True,
                    legal_conditions=passed,
                    community_benefit=True,
                )
            services.round_close(round=pre, by=by)
    upper = [(a, s.scores["province"]) for s, a in pairs if "province" in s.scores]
    province_round = _scored_round(cycle, Tier.PROVINCE, province, upper, by, slug, datetime.date(YEAR, 10, 6))
    _decide(province_round, province, by, datetime.date(YEAR, 11, 12), f"{3100 + int(code)}/QĐ-UBND")


def seed():
    load_sample_sheets()
    by = User.objects.filter(role=Role.SYSTEM_ADMIN, is_active=True).order_by("pk").first()
    if by is None:
        return
    for edition, code, district_code, rule_set, specs in PLANS:
        _seed_province(edition, code, district_code, rule_set, specs, by)
