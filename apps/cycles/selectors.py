"""Reads of the cycles app: what each user may see, the work list, counts and timelines."""

from django.db.models import Count, Prefetch, Q

from apps.accounts.enums import Role
from apps.core.policy import scope
from apps.core.text import fold

from .enums import ApplicationState
from .models import Application, ApplicationTransition, Cycle, Plan


def applications_visible_to(user):
    """Applications whose product lies in the user's subtree, with what the lists show."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Application.objects.none()
    qs = Application.objects.select_related("cycle", "product__commune", "product__producer", "product__product_set")
    if user.role == Role.PRODUCER:
        # A producer account sees the applications of the producers it is linked to, nothing else.
        return qs.filter(product__producer__accounts=user)
    if user.role == Role.COUNCIL_MEMBER:
        return qs.filter(pk__in=applications_before_my_council(user))
    return scope(qs, user, unit_field="product__commune")


def applications_before_my_council(user):
    """Ids of the applications assigned to an open round on whose council ``user`` sits, without a conflict
    declared: what a council member needs to score, and only while scoring lasts."""
    from apps.evaluation.enums import RoundState

    return (
        Application.objects.filter(
            round_entries__round__state=RoundState.OPEN, round_entries__round__members__user=user
        )
        .exclude(round_entries__conflicts__member__user=user)
        .values("pk")
    )


def application_search(queryset, text):
    """Search product and producer names ignoring diacritics and case: every word must match."""
    for word in fold(text).split():
        queryset = queryset.filter(product__search_text__contains=word)
    return queryset


def application_for_page(user, pk):
    """One application with its timeline and dossier, or None when it is not visible to ``user``."""
    qs = (
        applications_visible_to(user)
        .select_related(
            "product__producer__commune", "product__product_set__group", "cycle__unit", "created_by", "dossier"
        )
        .prefetch_related(
            Prefetch("transitions", queryset=ApplicationTransition.objects.select_related("by")),
            "dossier__evidence",
        )
    )
    return qs.filter(pk=pk).first()


def application_counts_by_commune(queryset):
    """Rows (commune id, commune name, {state: count}, total) for the overview table, from one query."""
    rows = {}
    data = (
        queryset.order_by()
        .values("product__commune_id", "product__commune__name", "product__commune__path", "state")
        .annotate(n=Count("pk"))
    )
    for row in data:
        entry = rows.setdefault(
            row["product__commune_id"],
            {
                "commune": row["product__commune__name"],
                "path": row["product__commune__path"],
                "counts": dict.fromkeys(ApplicationState.values, 0),
                "total": 0,
            },
        )
        entry["counts"][row["state"]] = row["n"]
        entry["total"] += row["n"]
    result = sorted(rows.values(), key=lambda r: r["path"])
    for r in result:
        r["cells"] = [r["counts"][s] for s in ApplicationState.values]
    return result


def cycles_visible_to(user):
    """Cycles of the user's subtree and of the units above it (a commune sees its province's cycle)."""
    qs = Cycle.objects.select_related("unit").annotate(application_count=Count("applications"))
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_national:
        return qs
    if not user.unit_id:
        return qs.none()
    path = user.unit.path
    parts = path.strip("/").split("/")
    ancestors = ["/".join(parts[: i + 1]) + "/" for i in range(1, len(parts))]
    return qs.filter(Q(unit__path__startswith=path) | Q(unit__path__in=ancestors))


def plans_visible_to(user):
    return scope(Plan.objects.select_related("unit").prefetch_related("targets"), user, unit_field="unit")
