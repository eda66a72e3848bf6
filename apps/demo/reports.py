"""Demo data that makes the dashboards worth opening: history cycles 2023–2026, yearly plans with targets, about
two hundred certified products across the four seed provinces (some expiring within 90 days, a few expired or
revoked), and monthly reports of the last months, Kon Rẫy's communes' partly submitted, one late, one returned.

Runs after every other app's demo (last in INSTALLED_APPS). Producers and products are written in bulk (services
would make seeding too slow on SQLite); each product's application is replayed through the cycles services in its
year's cycle (up to sent for evaluation, by the commune and approving officers); the recognition decisions are
loaded as decisions issued before the portal (``decision_import``, which issues the certificates: real serials,
tokens and PDFs) and the reports go through the reports services.
Idempotent: a second run changes nothing.
"""

import datetime
import itertools
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.catalog.services import catalog_rebuild
from apps.certificates.models import Certificate
from apps.certificates.services import certificate_revoke
from apps.core.enums import RuleSet
from apps.core.text import fold
from apps.cycles.enums import ApplicationState, TargetKind
from apps.cycles.models import Cycle, CycleStepPeriod, Plan, Target
from apps.demo.accounts import unit_officer
from apps.demo.cycles import seed_application
from apps.demo.producers import seed_documents
from apps.evaluation.services import ImportedRecognition, decision_import
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.producers.enums import ProducerKind
from apps.producers.models import Producer
from apps.products.models import Product, ProductSet
from apps.reports import services
from apps.reports.enums import ReportKind, ReportState
from apps.reports.models import Report
from apps.reports.periods import Period

SLUG_PREFIX = "bc-demo-"
# (edition, province code, rule set, years of recognition): 2024-list provinces recognised until mid-2025,
# 2025-list provinces from the second half of 2025.
PROVINCES = [
    (Edition.THREE_TIER_2024, "22", RuleSet.QD148_2023, (2023, 2024, 2024, 2025, 2025)),
    (Edition.THREE_TIER_2024, "62", RuleSet.QD148_2023, (2023, 2024, 2024, 2025, 2025)),
    (Edition.TWO_TIER_2025, "46", RuleSet.QD1489_2025, (2025, 2026)),
    (Edition.TWO_TIER_2025, "92", RuleSet.QD1489_2025, (2025, 2026)),
]
PRODUCTS_PER_PROVINCE = 64
COMMUNES_PER_PROVINCE = 12
# Producer types in the national proportions (≈ 38% HTX, 24% DN, the rest households and groups).
KINDS = (
    [ProducerKind.COOPERATIVE] * 8
    + [ProducerKind.ENTERPRISE] * 5
    + [ProducerKind.HOUSEHOLD] * 5
    + [ProducerKind.COOPERATIVE_GROUP] * 3
)
# Stars in the national proportions (≈ 74% 3★, 25% 4★, under 1% 5★).
STARS = [3] * 14 + [4] * 5
PRODUCT_WORDS = {
    "TP": ["Miến dong", "Mật ong rừng", "Gạo séng cù", "Trà hoa vàng", "Cà phê Robusta", "Chả mực", "Nước mắm",
           "Mứt gừng", "Bánh tráng", "Tương ớt", "Măng khô", "Tiêu sọ"],
    "DU": ["Rượu cần", "Rượu chuối hột", "Nước ép chanh dây", "Rượu sim"],
    "DL": ["Cao sâm", "Tinh dầu quế", "Trà túi lọc đinh lăng", "Xà phòng thảo mộc"],
    "TC": ["Thổ cẩm dệt tay", "Giỏ mây tre", "Nón lá", "Gốm mộc"],
    "SV": ["Lan rừng", "Bonsai mai", "Cá cảnh"],
    "DV": ["Du lịch cộng đồng làng"],
}  # fmt: skip
TARGETS = {
    TargetKind.IDEAS_PER_COMMUNE: 1,
    TargetKind.NEW_THREE_STAR: 15,
    TargetKind.NEW_FOUR_STAR: 5,
    TargetKind.NEW_FIVE_STAR: 1,
    TargetKind.KEY_PRODUCTS_PER_DISTRICT: 2,
}
STEP_MONTHS = {1: ((1, 2), (2, 28)), 2: ((2, 1), (4, 30)), 3: ((4, 1), (6, 30)), 4: ((6, 1), (9, 30)),
               5: ((8, 1), (11, 30)), 6: ((10, 1), (12, 31))}  # fmt: skip
KON_RAY = (Edition.THREE_TIER_2024, Level.DISTRICT, "614")


def _province(edition, code):
    return AdministrativeUnit.objects.filter(edition=edition, level=Level.PROVINCE, code=code).first()


def _seed_cycles_and_plans():
    """Cycles 2023–2026 for the four provinces (on both lists where they exist) and plans with targets."""
    for edition, code, _rule_set, _years in PROVINCES:
        for year in (2023, 2024, 2025, 2026):
            # Before July 2025 the pre-2025 unit organised the cycle; from 2025 on, the 2025 one (when it exists).
            unit_edition = Edition.THREE_TIER_2024 if year < 2025 else edition
            unit = _province(unit_edition, code) or _province(edition, code)
            if unit is None:
                continue
            rule_set = RuleSet.QD148_2023 if unit.edition == Edition.THREE_TIER_2024 else RuleSet.QD1489_2025
            cycle, _ = Cycle.objects.get_or_create(
                unit=unit,
                year=year,
                defaults={"rule_set": rule_set, "name": f"Chu trình OCOP năm {year} — {unit.name}"},
            )
            for step, ((m1, d1), (m2, d2)) in STEP_MONTHS.items():
                CycleStepPeriod.objects.get_or_create(
                    cycle=cycle,
                    step=step,
                    defaults={"starts_on": datetime.date(year, m1, d1), "ends_on": datetime.date(year, m2, d2)},
                )
            plan, _ = Plan.objects.get_or_create(
                unit=unit, year=year, defaults={"title": f"Kế hoạch thực hiện Chương trình OCOP năm {year}"}
            )
            for kind, value in TARGETS.items():
                if kind == TargetKind.KEY_PRODUCTS_PER_DISTRICT and rule_set != RuleSet.QD148_2023:
                    continue
                Target.objects.get_or_create(plan=plan, kind=kind, defaults={"value": value + year % 3})
    kon_ray = AdministrativeUnit.objects.filter(edition=KON_RAY[0], level=KON_RAY[1], code=KON_RAY[2]).first()
    if kon_ray:
        for year in (2023, 2024, 2025, 2026):
            plan, _ = Plan.objects.get_or_create(
                unit=kon_ray, year=year, defaults={"title": f"Kế hoạch OCOP huyện Kon Rẫy năm {year}"}
            )
            Target.objects.get_or_create(plan=plan, kind=TargetKind.NEW_THREE_STAR, defaults={"value": 3})
            Target.objects.get_or_create(plan=plan, kind=TargetKind.IDEAS_PER_COMMUNE, defaults={"value": 1})


def _decision_date(year, index, today, edition):
    """Spread decisions over the year; a few 2023 ones are recent enough that their certificates expire within
    90 days. Pre-2025-list provinces decide before 1 July 2025, the 2025-list ones after it."""
    if year == 2023 and index % 3 == 0:
        return today - relativedelta(months=36) + datetime.timedelta(days=10 + index % 70)
    if year == 2025:
        month = 2 + index % 4 if edition == Edition.THREE_TIER_2024 else 8 + index % 4
    else:
        month = 3 + index % 8
    return min(datetime.date(year, month, 5 + index % 20), today - datetime.timedelta(days=3))


def _seed_products(by, today):
    if Producer.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        return
    sets = list(ProductSet.objects.select_related("group").order_by("code"))
    if not sets:
        return
    seq = itertools.count(1)
    actors = {}
    for edition, code, rule_set, years in PROVINCES:
        province = _province(edition, code)
        if province is None:
            continue
        communes = list(
            AdministrativeUnit.objects.filter(path__startswith=province.path, level=Level.COMMUNE).order_by("code")[
                :COMMUNES_PER_PROVINCE
            ]
        )
        if not communes:
            continue
        cycles = {c.year: c for c in Cycle.objects.filter(unit__code=code, unit__level=Level.PROVINCE)}
        producers, products = [], []
        for i in range(PRODUCTS_PER_PROVINCE // 2):
            n = next(seq)
            kind = KINDS[n % len(KINDS)]
            commune = communes[i % len(communes)]
            workers = 4 + n % 30
            producers.append(
                Producer(
                    name=f"{kind.label.split(' (')[0]} {commune.name.split(' ', 1)[-1]} số {n}",
                    slug=f"{SLUG_PREFIX}{n}",
                    kind=kind,
                    commune=commune,
                    address=f"Thôn {1 + n % 9}, {commune.name}",
                    legal_representative=["Nguyễn Thị Lan", "Trần Văn Minh", "Y Bin", "Hồ Thị Hoa"][n % 4],
                    tax_code=None if kind == ProducerKind.COOPERATIVE_GROUP else f"69{n:08d}",
                    workers_count=workers,
                    women_workers=workers * (40 + n % 30) // 100,
                    ethnic_minority_workers=workers * (n % 5) // 10 if code == "62" else 0,
                    founded_year=2005 + n % 18,
                    search_text=fold(f"{commune.name} {n}"),
                )
            )
        Producer.objects.bulk_create(producers)
        producers = list(Producer.objects.filter(slug__in=[p.slug for p in producers]).order_by("pk"))
        # The vault documents each producer's dossier needs (uploaded through the producers services).
        for producer in producers:
            seed_documents(producer, producer.pk, by)
        for i in range(PRODUCTS_PER_PROVINCE):
            n = next(seq)
            producer = producers[i % len(producers)]
            product_set = sets[(i * 7 + n) % len(sets)]
            words = PRODUCT_WORDS.get(product_set.group.code, ["Sản phẩm"])
            place = producer.commune.name.split(" ", 1)[-1]
            name = f"{words[n % len(words)]} {place} loại {1 + n % 3}"
            products.append(
                Product(
                    name=name,
                    slug=f"{SLUG_PREFIX}{n}",
                    product_set=product_set,
                    producer=producer,
                    commune=producer.commune,
                    description=f"{name}: sản phẩm OCOP của {producer.name}.",
                    search_text=fold(f"{name} {producer.name}"),
                )
            )
        Product.objects.bulk_create(products)
        products = list(
            Product.objects.filter(slug__in=[p.slug for p in products])
            .select_related("commune__parent", "producer", "product_set")
            .order_by("pk")
        )
        # One recognition decision per year, month and issuing unit (the district under 148 for 3★, else the
        # province), loaded as decisions issued before the portal; each product's application is replayed.
        decisions = {}
        for i, product in enumerate(products):
            year = years[i % len(years)]
            stars = 5 if i == 11 else STARS[i % len(STARS)]
            district_issues = (
                rule_set == RuleSet.QD148_2023 and stars == 3 and product.commune.parent.level == Level.DISTRICT
            )
            issuer = product.commune.parent if district_issues else province
            on = _decision_date(year, i, today, edition)
            decision = decisions.setdefault(
                (issuer.pk, year, on.month),
                {
                    "number": f"{700 + len(decisions)}/QĐ-UBND-{year}",
                    "date": on,
                    "issuing_unit": issuer,
                    "issuer_name": f"Ủy ban nhân dân {issuer.name}",
                    "signer_title": "KT. Chủ tịch — Phó Chủ tịch",
                    "signer_name": ["Nguyễn Văn Thắng", "Lê Thị Hạnh", "A Pớt"][i % 3],
                    "rule_set": rule_set,
                    "recognitions": [],
                },
            )
            total = Decimal({3: 62, 4: 78, 5: 91}[stars]) + Decimal(i % 7)
            decision["recognitions"].append(ImportedRecognition(product=product, stars=stars, total_score=total))
            cycle = cycles.get(year)
            if cycle is not None:
                seed_application(cycle, product, ApplicationState.SENT_FOR_EVALUATION, i, actors)
        for decision in decisions.values():
            decision_import(**decision, by=by)
    # A few revoked 40 days ago (or on the day their certificate began, when it is younger): a product that lost
    # its standard (the province's officer revokes with a reason).
    for cert in Certificate.objects.filter(product__slug__startswith=SLUG_PREFIX, revoked_at__isnull=True).order_by(
        "pk"
    )[5::45]:
        province = AdministrativeUnit.objects.get(path=cert.product.commune.province_path)
        certificate_revoke(
            certificate=cert,
            reason="Không duy trì chất lượng sản phẩm theo tiêu chuẩn đã công nhận (kiểm tra định kỳ).",
            by=unit_officer(role=Role.PROVINCE_OFFICER, unit=province),
            at=max(
                timezone.now() - datetime.timedelta(days=40),
                timezone.make_aware(datetime.datetime.combine(cert.valid_from, datetime.time(9))),
            ),
        )


def _months_back(today, n):
    periods = []
    first = today.replace(day=1)
    for _ in range(n):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        periods.append(Period.month(first.year, first.month))
    return periods


def _seed_reports(by, today):
    """Monthly reports of the last two months for the provinces, Kon Rẫy and Kon Rẫy's communes."""
    if Report.objects.exists():
        return
    kon_ray = AdministrativeUnit.objects.filter(edition=KON_RAY[0], level=KON_RAY[1], code=KON_RAY[2]).first()
    units = [u for u in (_province(e, c) for e, c, _r, _y in PROVINCES) if u]
    communes = list(AdministrativeUnit.objects.filter(parent=kon_ray).order_by("code")) if kon_ray else []
    if kon_ray:
        units += [kon_ray, *communes]
    last, before = _months_back(today, 2)
    for period in (before, last):
        for unit in units:
            report = services.report_prepare(unit=unit, period=period)
            services.report_render(report_id=report.pk)
    officer = User.objects.filter(role=Role.DISTRICT_OFFICER, unit=kon_ray).first()
    if not communes or officer is None:
        return
    # Kon Rẫy's communes: the month before last all in but the last commune (late); last month, half sent in,
    # one of them returned with a reason, one accepted.
    for i, commune in enumerate(communes):
        for period, submit in ((before, i < len(communes) - 1), (last, i % 2 == 0)):
            if not submit:
                continue
            report = Report.objects.get(unit=commune, kind=ReportKind.MONTHLY, period=period.key)
            author = unit_officer(role=Role.COMMUNE_OFFICER, unit=commune)
            services.report_update_narrative(
                report=report,
                results=f"Trong {period.label}, {commune.name} tiếp tục hướng dẫn các chủ thể hoàn thiện hồ sơ OCOP.",
                difficulties="Chủ thể còn thiếu vốn đầu tư bao bì, nhãn mác; một số hồ sơ chưa có phiếu kiểm nghiệm.",
                proposals="Đề nghị huyện hỗ trợ kinh phí in bao bì và tổ chức tập huấn xây dựng câu chuyện sản phẩm.",
                by=author,
            )
            # Sent in 3 + i days after the month ended, before the due day (or now, when that day is still to come).
            sent_on = datetime.datetime.combine(period.end + datetime.timedelta(days=3 + i), datetime.time(9))
            submitted_at = min(timezone.make_aware(sent_on), timezone.now())
            services.report_transition(report=report, to_state=ReportState.SUBMITTED, by=author, at=submitted_at)
    received = list(
        Report.objects.filter(unit__in=communes, period=last.key, state=ReportState.SUBMITTED).order_by("unit__code")
    )
    if received:
        services.report_transition(
            report=received[0],
            to_state=ReportState.RETURNED,
            by=officer,
            reason="Số liệu sản phẩm 3 sao chưa khớp với quyết định công nhận của huyện; đề nghị rà soát và gửi lại.",
        )
    if len(received) > 1:
        services.report_transition(report=received[1], to_state=ReportState.ACCEPTED, by=officer)


def seed():
    by = User.objects.filter(role=Role.SYSTEM_ADMIN, is_active=True).order_by("pk").first()
    if by is None:
        return
    today = timezone.localdate()
    with transaction.atomic():
        _seed_cycles_and_plans()
        _seed_products(by, today)

    catalog_rebuild()
    with transaction.atomic():
        _seed_reports(by, today)
