"""Reads of the councils: visible rounds, the sheet for a product set, and the per-product results.

Means, medians, minima and maxima come from database aggregation; :func:`round_results` runs a fixed number of
queries however many products and sheets a round has.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Case, Count, IntegerField, Max, Min, Q, QuerySet, Sum, Value, When

from apps.core.enums import RuleSet
from apps.core.stars import awarded_stars, star_band
from apps.cycles.models import Dossier

from .aggregates import Median
from .enums import COUNTED_SHEET_STATES, SCORING_ROLES, Aggregation, MemberRole
from .models import (
    ConflictDeclaration,
    CouncilMember,
    Criterion,
    EvaluationRound,
    RoundEntry,
    ScoreAnswer,
    ScoreSheet,
    SheetTemplate,
)
from .rules import q_view_evaluationround

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.products.models import ProductSet

    from .models import SheetPart

# 1489 amended the tiers, not the sheet: a 1489 round uses a 148 sheet unless a 1489 one was loaded.
SHEET_RULE_SET_FALLBACK: dict[str, str] = {RuleSet.QD1489_2025: RuleSet.QD148_2023}
CENT = Decimal("0.01")


def role_order(prefix: str = "") -> Case:
    """Chair, secretary, members, advisory group: the order of the minutes."""
    field = f"{prefix}role"
    return Case(
        *(When(**{field: role}, then=Value(i)) for i, role in enumerate(MemberRole.values)),
        output_field=IntegerField(),
    )


def council_of(*, round: EvaluationRound) -> QuerySet[CouncilMember]:
    return round.members.select_related("user").order_by(role_order(), "pk")


def rounds_visible_to(*, user: Any) -> QuerySet[EvaluationRound]:
    """The rounds ``user`` may view (``evaluation.view_evaluationround``)."""
    return EvaluationRound.objects.select_related("cycle", "unit").filter(q_view_evaluationround(user))


def template_for(*, rule_set: str, product_set: "ProductSet") -> SheetTemplate | None:
    """The newest sheet for this rule set and product set (falling back as 1489 allows), or None."""
    for candidate in (rule_set, SHEET_RULE_SET_FALLBACK.get(rule_set)):
        if candidate is None:
            continue
        template = (
            SheetTemplate.objects.filter(rule_set=candidate, product_sets=product_set)
            .order_by("is_sample", "-version", "-pk")
            .first()
        )
        if template is not None:
            return template
    return None


def member_for(*, round: EvaluationRound, user: "User") -> CouncilMember | None:
    return CouncilMember.objects.filter(round=round, user=user).first()


def sheet_structure(*, template: SheetTemplate) -> list["SheetPart"]:
    """Parts → groups → criteria → options of a template, prefetched (4 queries)."""
    return list(template.parts.prefetch_related("groups__criteria__options").order_by("order"))


@dataclass
class EntryResult:
    entry: RoundEntry
    sheet_count: int = 0
    eligible_members: int = 0
    mean: Decimal | None = None
    median: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    member_totals: list[Any] = field(default_factory=list)
    part_averages: dict[str, Any] = field(default_factory=dict)
    missing_mandatory: list[Any] = field(default_factory=list)
    chair_scored: bool = False
    quorum_met: bool = False
    spread_flagged: bool = False
    total: Decimal | None = None
    band: int | None = None
    stars: int | None = None


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def round_results(*, round: EvaluationRound, entries: list[RoundEntry] | None = None) -> list[EntryResult]:
    """One :class:`EntryResult` per product of ``round`` (or of ``entries``), from submitted sheets only."""
    submitted = Q(sheets__state__in=COUNTED_SHEET_STATES)
    qs = RoundEntry.objects.filter(round=round).select_related(
        "application__product__producer", "application__product__product_set", "template"
    )
    if entries is not None:
        qs = qs.filter(pk__in=[e.pk for e in entries])
    rows = list(
        qs.annotate(
            n=Count("sheets", filter=submitted),
            avg=Avg("sheets__total", filter=submitted),
            med=Median("sheets__total", filter=submitted),
            lo=Min("sheets__total", filter=submitted),
            hi=Max("sheets__total", filter=submitted),
        ).order_by("pk")
    )
    ids = [row.pk for row in rows]
    members = list(CouncilMember.objects.filter(round=round, role__in=SCORING_ROLES).values("pk", "role"))
    chair_ids = {m["pk"] for m in members if m["role"] == MemberRole.CHAIR}
    conflicts: defaultdict[int, set[int]] = defaultdict(set)
    for conflict in ConflictDeclaration.objects.filter(entry_id__in=ids).values("entry_id", "member_id"):
        conflicts[conflict["entry_id"]].add(conflict["member_id"])
    totals = defaultdict(list)
    for s in (
        ScoreSheet.objects.filter(entry_id__in=ids, state__in=COUNTED_SHEET_STATES)
        .select_related("member__user")
        .order_by(role_order("member__"), "member_id")
    ):
        totals[s.entry_id].append(s)
    part_sums: defaultdict[int, dict[str, Any]] = defaultdict(dict)
    for a in (
        ScoreAnswer.objects.filter(sheet__entry_id__in=ids, sheet__state__in=COUNTED_SHEET_STATES)
        .values("sheet__entry_id", "criterion__group__part__code")
        .annotate(points=Sum("points"))
        .order_by("criterion__group__part__code")
    ):
        part_sums[a["sheet__entry_id"]][a["criterion__group__part__code"]] = a["points"]
    met: defaultdict[int, dict[int, int]] = defaultdict(dict)
    for answer in (
        ScoreAnswer.objects.filter(
            sheet__entry_id__in=ids, sheet__state__in=COUNTED_SHEET_STATES, criterion__mandatory_for_stars__isnull=False
        )
        .values("sheet__entry_id", "criterion_id")
        .annotate(met=Count("pk", filter=Q(points__gt=0)))
    ):
        met[answer["sheet__entry_id"]][answer["criterion_id"]] = answer["met"]
    mandatory = defaultdict(list)
    for c in Criterion.objects.filter(
        template_id__in={row.template_id for row in rows}, mandatory_for_stars__isnull=False
    ).order_by("order", "code"):
        mandatory[c.template_id].append(c)

    results = []
    for row in rows:
        r = EntryResult(entry=row, sheet_count=row.n)
        r.mean, r.median, r.minimum, r.maximum = _dec(row.avg), _dec(row.med), _dec(row.lo), _dec(row.hi)
        r.member_totals = totals[row.pk]
        r.eligible_members = len([m for m in members if m["pk"] not in conflicts[row.pk]])
        if row.n:
            r.part_averages = {code: _dec(points / row.n) for code, points in part_sums[row.pk].items()}
        # A mandatory criterion counts as met when more than half of the submitted sheets gave it points.
        r.missing_mandatory = [
            c for c in mandatory[row.template_id] if row.n == 0 or met[row.pk].get(c.pk, 0) * 2 <= row.n
        ]
        r.chair_scored = any(s.member_id in chair_ids for s in r.member_totals)
        r.quorum_met = bool(r.eligible_members) and (
            row.n * round.quorum_denominator >= round.quorum_numerator * r.eligible_members
        )
        if round.quorum_requires_chair and not (r.chair_scored or chair_ids & conflicts[row.pk]):
            r.quorum_met = False
        r.spread_flagged = (
            r.maximum is not None and r.minimum is not None and (r.maximum - r.minimum) > round.spread_threshold
        )
        r.total = r.median if round.aggregation == Aggregation.MEDIAN else r.mean
        if r.total is not None:
            r.band = star_band(r.total)
            r.stars = awarded_stars(r.total, [c.mandatory_for_stars for c in r.missing_mandatory])
        results.append(r)
    return results


# --- The applicant's self-assessment on the product set's sheet ----------------------------------------------


def self_assessment_context(dossier: Dossier | None, parts: Sequence["SheetPart"]) -> dict[str, Any]:
    """What the self-assessment sheet shows: chosen options, part totals, the star the total would reach.

    Shared by the applicant's form and the council's view of it (shown beside each sheet).
    """
    sheet = (dossier.self_assessment_sheet or {}) if dossier else {}
    chosen = {int(c): o for c, o in sheet.get("choices", {}).items()}
    criteria = [c for part in parts for group in part.groups.all() for c in group.criteria.all()]
    points: dict[int, Any] = {}
    for criterion in criteria:
        option = next((o for o in criterion.options.all() if o.pk == chosen.get(criterion.pk)), None)
        criterion.self_assessed = option  # type: ignore[attr-defined]  # read by the sheet template
        if option is not None:
            points[criterion.pk] = option.points
    part_totals = [
        {"part": part, "points": sum(points.get(c.pk, 0) for g in part.groups.all() for c in g.criteria.all())}
        for part in parts
    ]
    mandatory = [c for c in criteria if c.mandatory_for_stars]
    missing = [c for c in mandatory if points.get(c.pk, 0) <= 0]
    total = sum(points.values(), 0)
    return {
        "chosen": set(chosen.values()),
        "part_totals": part_totals,
        "total": total,
        "mandatory": mandatory,
        "missing_ids": {c.pk for c in missing},
        "stars": awarded_stars(total, [c.mandatory_for_stars for c in missing]),
        "answered": len(points),
        "criteria_count": len(criteria),
    }
