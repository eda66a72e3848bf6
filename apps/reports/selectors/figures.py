"""The report's figures for a scope (a unit of either edition, or the country) and a period.

Every figure is a database aggregation grouped by the scope's row key (see :mod:`.scope`): one query per source
table whatever the number of child units, no loop over records in Python. The result is plain data (lists, dicts,
numbers, strings) so the dashboard, the PDF, the XLSX and the frozen copy of an accepted report all read the same.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.catalog.models import Fair, PointOfSale
from apps.certificates.models import Certificate
from apps.core.enums import LOWEST_RECOGNISED_STARS
from apps.cycles.enums import ApplicationState, TargetKind
from apps.cycles.models import Application, ApplicationTransition, Target
from apps.evaluation.enums import RoundState, Tier
from apps.evaluation.models import EvaluationRound, RecognitionItem, RoundEntry
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.producers.enums import ProducerKind
from apps.producers.models import Producer

from .scope import scope_for

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ..periods import Period
    from .scope import Scope

EXPIRING_DAYS = 90
S = ApplicationState


@contextmanager
def without_jit() -> Iterator[None]:
    """PostgreSQL's JIT off for the figures' queries (SET LOCAL, in a transaction or a savepoint of the caller's).

    The recognitions' query classifies each item by EXISTS subqueries (new, upgraded, re-evaluated), whose estimated
    cost per row lifts the plan over ``jit_above_cost``: compiling it took ≈ 35 ms of an ≈ 85 ms query nationally
    (bench/reports.py), more than JIT could ever win back on a few thousand rows. The work queue's rounds query
    (EXISTS per round over entries and sheets) is another: ≈ 15 ms of compiling for a 2 ms answer nationally."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def _count(condition: Q | None = None) -> Count:
    return Count("pk", filter=condition, distinct=False)


def _sum(field: str, condition: Q | None = None, decimal: bool = False) -> Coalesce:
    output = DecimalField(max_digits=14, decimal_places=2) if decimal else IntegerField()
    zero = Value(Decimal(0)) if decimal else Value(0)
    return Coalesce(Sum(field, filter=condition, output_field=output), zero, output_field=output)


def _grouped(
    scope: "Scope", queryset: "QuerySet[Any]", path_field: str, aggregates: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """{row key: {name: value}} for ``queryset`` inside ``scope``, one GROUP BY query."""
    data = (
        queryset.filter(scope.condition(path_field))
        .annotate(row_key=scope.key_expression(path_field))
        .order_by()
        .values("row_key")
        .annotate(**aggregates)
    )
    result: dict[str, dict[str, Any]] = {}
    for group in data:  # one element per child unit, not per record
        key = scope.row_key(group.pop("row_key"))
        target = result.setdefault(key, dict.fromkeys(aggregates, 0))
        for name, value in group.items():
            target[name] += value or 0
    return result


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


# Each table: code, title, columns (key, label), and the derived columns computed from the others.
def _tables_spec() -> list[dict[str, Any]]:
    return [
        {
            "code": "ideas",
            "title": _("Product ideas and dossiers"),
            "columns": [
                ("ideas_registered", _("Ideas registered")),
                ("ideas_accepted", _("Ideas accepted")),
                ("ideas_rejected", _("Ideas rejected")),
                ("returned", _("Dossiers returned")),
            ],
        },
        {
            "code": "applications",
            "title": _("Applications of the year by state"),
            "columns": [(f"state_{value}", str(label)) for value, label in S.choices] + [("applications", _("Total"))],
        },
        {
            "code": "evaluation",
            "title": _("Evaluation and recognition"),
            "columns": [
                ("rounds_held", _("Council rounds closed")),
                ("products_scored", _("Products scored")),
                ("mean_score", _("Mean score")),
                ("candidates_5", _("5★ candidates forwarded")),
                ("recognised_3", _("Recognised 3★")),
                ("recognised_4", _("Recognised 4★")),
                ("recognised_5", _("Recognised 5★")),
                ("recognised", _("Recognised in total")),
                ("recognised_new", _("of which new")),
                ("recognised_upgraded", _("of which upgraded")),
                ("recognised_renewed", _("of which re-evaluated")),
            ],
            "derived": {"mean_score": ("score_sum", "products_scored", 1)},
        },
        {
            "code": "producers",
            "title": _("Producers"),
            "columns": [(f"producers_{value}", str(label)) for value, label in ProducerKind.choices]
            + [
                ("producers", _("Producers in total")),
                ("workers", _("Workers")),
                ("women_workers", _("Women workers")),
                ("ethnic_minority_workers", _("Ethnic-minority workers")),
            ],
        },
        {
            "code": "certificates",
            "title": _("Certificates"),
            "columns": [
                ("certificates_issued", _("Issued in the period")),
                ("certificates_valid", _("Valid")),
                ("certificates_expiring", _("Expiring within 90 days")),
                ("certificates_expired", _("Expired")),
                ("certificates_revoked", _("Revoked")),
            ],
        },
        {
            "code": "trade",
            "title": _("Trade promotion"),
            "columns": [
                ("points_of_sale", _("Points of sale")),
                ("point_of_sale_products", _("Products at points of sale")),
                ("fairs", _("Fairs")),
                ("fair_products", _("Products at fairs")),
            ],
        },
        {
            "code": "targets",
            "title": _("Targets of the units' plans against results"),
            "columns": [
                ("target_3", _("Target: new 3★")),
                ("actual_3", _("Result: 3★")),
                ("reached_3", _("% reached (3★)")),
                ("target_4", _("Target: new 4★")),
                ("actual_4", _("Result: 4★")),
                ("reached_4", _("% reached (4★)")),
                ("target_5", _("Target: new 5★")),
                ("actual_5", _("Result: 5★")),
                ("reached_5", _("% reached (5★)")),
            ],
            "derived": {
                "reached_3": ("actual_3", "target_3", 100),
                "reached_4": ("actual_4", "target_4", 100),
                "reached_5": ("actual_5", "target_5", 100),
            },
        },
    ]


def _ratio(values: dict[str, Any], numerator: str, denominator: str, scale: int) -> float | None:
    if not values.get(denominator):
        return None
    return round(float(values.get(numerator, 0)) * scale / float(values[denominator]), 2)


def _sources(
    scope: "Scope", period: "Period", today: datetime.date, rule_set: str | None = None, group: str | None = None
) -> dict[str, dict[str, Any]]:
    """Every additive figure, {row key: {name: value}}, merged from one query per source table.

    ``rule_set`` and ``group`` (a ProductGroup code) narrow the figures they apply to (not producers, trade, plans).
    """

    def narrow(queryset: Any, rule_field: str | None = None, group_field: str | None = None) -> Any:
        if rule_set and rule_field:
            queryset = queryset.filter(**{rule_field: rule_set})
        if group and group_field:
            queryset = queryset.filter(**{f"{group_field}__code": group})
        return queryset

    pgroup = "product__product_set__group"
    agroup = "application__product__product_set__group"
    start_dt, end_dt = period.start_datetime(), period.end_datetime_exclusive()
    as_of = min(period.end, today)
    in_period = Q(created_at__gte=start_dt, created_at__lt=end_dt)
    years = Q(cycle__year__gte=period.start.year, cycle__year__lte=period.end.year)
    product_path = "product__commune__path"
    app_path = "application__product__commune__path"

    application_aggregates = {"ideas_registered": _count(in_period), "applications": _count(years)}
    application_aggregates.update({f"state_{s}": _count(years & Q(state=s)) for s in S.values})

    valid = Q(
        revoked_at__isnull=True,
        superseded_by__isnull=True,
        valid_from__lte=as_of,
        valid_until__gte=as_of,
        stars__gte=LOWEST_RECOGNISED_STARS,
    )
    year_start = datetime.date(period.year, 1, 1)
    # An earlier recognition of the same product: none → new; one with fewer stars → upgraded; else re-evaluated.
    earlier = RecognitionItem.objects.filter(
        product=OuterRef("product"), decision__date__lt=OuterRef("decision__date")
    ).values("pk")
    recognitions = _grouped(
        scope,
        narrow(
            RecognitionItem.objects.filter(decision__date__gte=period.start, decision__date__lte=period.end),
            "decision__rule_set",
            pgroup,
        ).annotate(had_earlier=Exists(earlier), had_lower=Exists(earlier.filter(stars__lt=OuterRef("stars")))),
        product_path,
        {
            "recognised_3": _count(Q(stars=3)),
            "recognised_4": _count(Q(stars=4)),
            "recognised_5": _count(Q(stars=5)),
            "recognised": _count(),
            # Each EXISTS is named once (each use is a subquery per row): an upgrade always had an earlier one.
            "recognised_earlier": _count(Q(had_earlier=True)),
            "recognised_upgraded": _count(Q(had_lower=True)),
        },
    )
    for values in recognitions.values():  # one per child unit
        earlier_count = values.pop("recognised_earlier")
        values["recognised_new"] = values["recognised"] - earlier_count
        values["recognised_renewed"] = earlier_count - values["recognised_upgraded"]
    sources = [
        recognitions,
        _grouped(
            scope,
            narrow(Application.objects.filter(in_period | years), "cycle__rule_set", pgroup),
            product_path,
            application_aggregates,
        ),
        _grouped(
            scope,
            narrow(
                ApplicationTransition.objects.filter(at__gte=start_dt, at__lt=end_dt),
                "application__cycle__rule_set",
                agroup,
            ),
            app_path,
            {
                "ideas_accepted": _count(Q(to_state=S.IDEA_ACCEPTED)),
                "ideas_rejected": _count(Q(to_state=S.IDEA_REJECTED)),
                "returned": _count(Q(to_state=S.RETURNED)),
            },
        ),
        _grouped(
            scope,
            narrow(
                EvaluationRound.objects.filter(state=RoundState.CLOSED, closed_at__gte=start_dt, closed_at__lt=end_dt),
                "cycle__rule_set",
            ),
            "unit__path",
            {"rounds_held": _count()},
        ),
        _grouped(
            scope,
            narrow(
                RoundEntry.objects.filter(
                    round__state=RoundState.CLOSED,
                    round__closed_at__gte=start_dt,
                    round__closed_at__lt=end_dt,
                    total__isnull=False,
                ),
                "round__cycle__rule_set",
                agroup,
            ),
            app_path,
            {
                "products_scored": _count(),
                "score_sum": _sum("total", decimal=True),
                "candidates_5": _count(Q(forwarded=True, round__tier=Tier.PROVINCE)),
            },
        ),
        _grouped(
            scope,
            narrow(
                RecognitionItem.objects.filter(decision__date__gte=year_start, decision__date__lte=period.end),
                "decision__rule_set",
                pgroup,
            ),
            product_path,
            {"actual_3": _count(Q(stars=3)), "actual_4": _count(Q(stars=4)), "actual_5": _count(Q(stars=5))},
        ),
        _grouped(
            scope,
            Producer.objects.filter(created_at__lt=end_dt),
            "commune__path",
            {
                **{f"producers_{k}": _count(Q(kind=k)) for k in ProducerKind.values},
                "producers": _count(),
                "workers": _sum("workers_count"),
                "women_workers": _sum("women_workers"),
                "ethnic_minority_workers": _sum("ethnic_minority_workers"),
            },
        ),
        _grouped(
            scope,
            narrow(Certificate.objects.filter(valid_from__lte=as_of), "recognition__decision__rule_set", pgroup),
            product_path,
            {
                "certificates_issued": _count(Q(valid_from__gte=period.start, valid_from__lte=period.end)),
                "certificates_valid": _count(valid),
                "certificates_expiring": _count(
                    valid & Q(valid_until__lte=as_of + datetime.timedelta(days=EXPIRING_DAYS))
                ),
                "certificates_expired": _count(
                    Q(revoked_at__isnull=True, superseded_by__isnull=True, valid_until__lt=as_of)
                ),
                "certificates_revoked": _count(Q(revoked_at__lt=end_dt)),
            },
        ),
        _grouped(
            scope,
            PointOfSale.objects.filter(is_active=True, created_at__lt=end_dt),
            "unit__path",
            {"points_of_sale": Count("pk", distinct=True), "point_of_sale_products": Count("products")},
        ),
        _grouped(
            scope,
            Fair.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start),
            "unit__path",
            {"fairs": Count("pk", distinct=True), "fair_products": Count("products")},
        ),
        _grouped(
            scope,
            Target.objects.filter(plan__year=period.year).exclude(plan__unit=scope.unit),
            "plan__unit__path",
            {
                "target_3": _sum("value", Q(kind=TargetKind.NEW_THREE_STAR)),
                "target_4": _sum("value", Q(kind=TargetKind.NEW_FOUR_STAR)),
                "target_5": _sum("value", Q(kind=TargetKind.NEW_FIVE_STAR)),
            },
        ),
    ]
    merged: dict[str, dict[str, Any]] = {}
    for source in sources:
        for key, values in source.items():
            merged.setdefault(key, {}).update(values)
    return merged


def _plan(scope: "Scope", period: "Period", totals: dict[str, Any]) -> list[dict[str, Any]]:
    """The scope unit's own plan for the year: each target, the result and the percentage reached."""
    if scope.unit is None:
        return []
    targets = list(
        Target.objects.filter(plan__unit=scope.unit, plan__year=period.year).order_by("kind").values("kind", "value")
    )
    if not targets:
        return []
    counts = AdministrativeUnit.objects.filter(scope.condition("path")).aggregate(
        communes=_count(Q(level=Level.COMMUNE, edition=scope.unit.edition)),
        districts=_count(Q(level=Level.DISTRICT, edition=scope.unit.edition)),
    )
    units = {
        TargetKind.IDEAS_PER_COMMUNE: max(counts["communes"], 1),
        TargetKind.KEY_PRODUCTS_PER_DISTRICT: max(counts["districts"], 1),
    }
    actuals = {
        TargetKind.IDEAS_PER_COMMUNE: totals.get("ideas_registered_year", 0),
        TargetKind.NEW_THREE_STAR: totals.get("actual_3", 0),
        TargetKind.NEW_FOUR_STAR: totals.get("actual_4", 0),
        TargetKind.NEW_FIVE_STAR: totals.get("actual_5", 0),
        TargetKind.KEY_PRODUCTS_PER_DISTRICT: totals.get("actual_4", 0) + totals.get("actual_5", 0),
    }
    rows = []
    for target in targets:  # at most one per kind (five)
        kind = TargetKind(target["kind"])
        expected = target["value"] * units.get(kind, 1)
        actual = actuals[kind]
        rows.append(
            {
                "kind": kind.value,
                "label": str(kind.label),
                "value": target["value"],
                "expected": expected,
                "actual": actual,
                "reached": round(actual * 100 / expected, 2) if expected else None,
            }
        )
    return rows


def _by_set(scope: "Scope", period: "Period") -> list[dict[str, Any]]:
    """Products recognised in the period by group and product set, with their stars (one query)."""
    data = (
        RecognitionItem.objects.filter(decision__date__gte=period.start, decision__date__lte=period.end)
        .filter(scope.condition("product__commune__path"))
        .order_by()
        .values(
            "product__product_set__group__code",
            "product__product_set__group__name",
            "product__product_set__code",
            "product__product_set__name",
        )
        .annotate(s3=_count(Q(stars=3)), s4=_count(Q(stars=4)), s5=_count(Q(stars=5)), n=_count())
        .order_by("product__product_set__code")
    )
    return [
        {
            "group": row["product__product_set__group__name"],
            "group_code": row["product__product_set__group__code"],
            "set": row["product__product_set__name"],
            "set_code": row["product__product_set__code"],
            "values": [row["s3"], row["s4"], row["s5"], row["n"]],
        }
        for row in data
    ]


def _return_reasons(scope: "Scope", period: "Period", limit: int = 10) -> list[dict[str, Any]]:
    """Why dossiers were returned in the period: the most frequent reasons and how often (one query)."""
    data = (
        ApplicationTransition.objects.filter(
            to_state=S.RETURNED, at__gte=period.start_datetime(), at__lt=period.end_datetime_exclusive()
        )
        .filter(scope.condition("application__product__commune__path"))
        .order_by()
        .values("reason")
        .annotate(n=_count())
        .order_by("-n", "reason")[:limit]
    )
    return [{"reason": row["reason"] or "–", "count": row["n"]} for row in data]


def _ideas_of_year(scope: "Scope", period: "Period") -> int:
    start = datetime.datetime.combine(datetime.date(period.year, 1, 1), datetime.time.min)
    return (
        Application.objects.filter(scope.condition("product__commune__path"))
        .filter(created_at__gte=timezone.make_aware(start), created_at__lt=period.end_datetime_exclusive())
        .count()
    )


def unit_figures(
    *,
    unit: AdministrativeUnit | None = None,
    period: "Period",
    edition: str | None = None,
    today: datetime.date | None = None,
    rule_set: str | None = None,
    group: str | None = None,
) -> dict[str, Any]:
    """All figures of ``unit`` (or the country, by ``edition``) for ``period``: tables with one row per child unit
    and a total row, the unit's plan against results and the recognitions by product set."""

    with without_jit():
        return _unit_figures(unit=unit, period=period, edition=edition, today=today, rule_set=rule_set, group=group)


def _unit_figures(
    *,
    unit: AdministrativeUnit | None,
    period: "Period",
    edition: str | None,
    today: datetime.date | None,
    rule_set: str | None,
    group: str | None,
) -> dict[str, Any]:
    today = today or timezone.localdate()
    scope = scope_for(unit, edition or Edition.TWO_TIER_2025)
    data = _sources(scope, period, today, rule_set=rule_set, group=group)
    known = {row.key for row in scope.rows}
    stray = {key: values for key, values in data.items() if key not in known}

    spec = _tables_spec()
    all_keys = {key for table in spec for key, _label in table["columns"]} | {"score_sum"}
    totals: dict[str, Any] = dict.fromkeys(all_keys, 0)
    for values in data.values():
        for key, value in values.items():
            totals[key] = totals.get(key, 0) + value

    rows = []
    for row in scope.rows:
        values = data.get(row.key, {})
        if row.kind == "self" and scope.rows[1:] and not any(values.values()):
            continue
        rows.append((row, values))
    if stray:
        merged: dict[str, Any] = {}
        for values in stray.values():
            for key, value in values.items():
                merged[key] = merged.get(key, 0) + value
        rows.append((type("Other", (), {"label": _("Other units"), "unit": None, "kind": "other"})(), merged))

    tables = []
    for table in spec:
        derived = table.get("derived", {})

        def cells(
            values: dict[str, Any], derived: dict[str, Any] = derived, table: dict[str, Any] = table
        ) -> list[Any]:
            return [
                _ratio(values, *derived[key]) if key in derived else _number(values.get(key, 0))
                for key, _label in table["columns"]
            ]

        tables.append(
            {
                "code": table["code"],
                "title": table["title"],
                "columns": [{"key": key, "label": label, "derived": key in derived} for key, label in table["columns"]],
                "rows": [
                    {
                        "label": row.label,
                        "unit_id": row.unit.pk if row.unit else None,
                        "kind": row.kind,
                        "values": cells(values),
                    }
                    for row, values in rows
                ],
                "total": cells(totals),
            }
        )
    totals["ideas_registered_year"] = _ideas_of_year(scope, period)
    for table in spec:
        for key, args in table.get("derived", {}).items():
            totals[key] = _ratio(totals, *args)
    return {
        "scope": {
            "name": scope.name,
            "unit_id": unit.pk if unit else None,
            "edition": scope.edition,
            "level": unit.level if unit else "national",
        },
        "period": {
            "kind": period.kind,
            "key": period.key,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "as_of": min(period.end, today).isoformat(),
        "tables": tables,
        "totals": {key: _number(value) for key, value in totals.items()},
        "plan": _plan(scope, period, totals),
        "by_set": _by_set(scope, period),
        "return_reasons": _return_reasons(scope, period),
    }


def table(figures: dict[str, Any], code: str) -> dict[str, Any] | None:
    return next(t for t in figures["tables"] if t["code"] == code)
