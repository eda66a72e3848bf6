"""Reads of the cycles app: what each user may see, the work list, counts, timelines, the moves a user may make and
who is asked to act next."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.core.enums import RuleSet
from apps.core.text import fold

from .enums import ApplicationState, CycleStep, Tier
from .models import Application, ApplicationTransition, Cycle, Plan
from .rules import q_approving_officers_of, q_commune_officers_of, q_view_application, q_view_plan, user_tiers
from .workflow import DOSSIER_EDITABLE_STATES, NEXT_ACTOR, allowed_targets, legal_tiers

if TYPE_CHECKING:
    from apps.geo.models import AdministrativeUnit


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """The applications ``user`` may view (``cycles.view_application``), with what the lists show."""
    qs = Application.objects.select_related("cycle", "product__commune", "product__producer", "product__product_set")
    return qs.filter(q_view_application(user))


def application_search(queryset: QuerySet[Application], text: str) -> QuerySet[Application]:
    """Search product and producer names ignoring diacritics and case: every word must match."""
    for word in fold(text).split():
        queryset = queryset.filter(product__search_text__contains=word)
    return queryset


def application_page_queryset() -> QuerySet[Application]:
    """Applications with what their page shows: timeline and dossier (fetch one through the permission check)."""
    return Application.objects.select_related(
        "cycle",
        "product__commune",
        "product__product_set",
        "product__producer__commune",
        "product__product_set__group",
        "cycle__unit",
        "created_by",
        "dossier",
    ).prefetch_related(
        Prefetch("transitions", queryset=ApplicationTransition.objects.select_related("by")),
        "dossier__evidence",
    )


def application_counts_by_commune(queryset: QuerySet[Application]) -> list[dict[str, Any]]:
    """Rows (commune id, commune name, {state: count}, total) for the overview table, from one query."""
    rows: dict[int, dict[str, Any]] = {}
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


def cycles_visible_to(user: Any) -> QuerySet[Cycle]:
    """Cycles of the user's subtree and of the units above it (a commune sees its province's cycle)."""
    qs = Cycle.objects.select_related("unit").annotate(application_count=Count("applications"))
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_national:
        return qs
    if not user.unit_id:
        return qs.none()
    return qs.filter(Q(unit__path__startswith=user.unit.path) | Q(unit__path__in=user.unit.path_prefixes))


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    """The plans ``user`` may view (``cycles.view_plan``)."""
    return Plan.objects.select_related("unit").prefetch_related("targets").filter(q_view_plan(user))


# --- Whose move it is -------------------------------------------------------------------------------------
# For each state: who acts next (the product's commune, or the approving tier: district under 148, province
# under 1489), what they are asked to do, and the cycle step whose last day is the deadline. A rejected idea
# waits for nobody.
S = ApplicationState
WAITING: dict[str, tuple[str, Any, int | None]] = {  # keyed by ApplicationState, which are str
    S.IDEA_REGISTERED: (Tier.APPROVING, _("Waiting for the %(tier)s to review the idea"), CycleStep.IDEAS),
    S.IDEA_ACCEPTED: (Tier.COMMUNE, _("Waiting for the %(tier)s to submit the business plan"), CycleStep.PLANS),
    S.PLAN_SUBMITTED: (Tier.APPROVING, _("Waiting for the %(tier)s to approve the plan"), CycleStep.PLANS),
    S.IMPLEMENTING: (Tier.COMMUNE, _("Waiting for the %(tier)s to submit the dossier"), CycleStep.IMPLEMENTATION),
    S.DOSSIER_SUBMITTED: (Tier.COMMUNE, _("Waiting for the %(tier)s to check the dossier"), CycleStep.IMPLEMENTATION),
    S.DOSSIER_CHECKED: (
        Tier.COMMUNE,
        _("Waiting for the %(tier)s to send the dossier up for evaluation"),
        CycleStep.IMPLEMENTATION,
    ),
    S.SENT_FOR_EVALUATION: (Tier.APPROVING, _("Waiting for the %(tier)s council to evaluate"), CycleStep.EVALUATION),
    S.RETURNED: (Tier.COMMUNE, _("Waiting for the %(tier)s to correct and resubmit"), None),
}
TIER_WORDS = {
    "commune": pgettext_lazy("waiting for", "commune"),
    "district": pgettext_lazy("waiting for", "district"),
    "province": pgettext_lazy("waiting for", "province"),
}


def _approving_word(rule_set: str) -> str:
    return "district" if rule_set == RuleSet.QD148_2023 else "province"


@dataclass
class Waiting:
    """Whose move it is on an application: the sentence, since when, and the deadline from the cycle's steps."""

    tier: str
    text: str
    since: datetime.datetime
    deadline: datetime.date | None = None

    @property
    def days_left(self) -> int | None:
        return None if self.deadline is None else (self.deadline - timezone.localdate()).days

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_late(self) -> int:
        days_left = self.days_left
        return -days_left if days_left is not None and days_left < 0 else 0


def waiting_on(application: Application, *, since: datetime.datetime | None = None) -> Waiting | None:
    """A :class:`Waiting` for ``application``, or None when nobody is to act (a rejected idea).

    Reads ``application.cycle.steps`` (prefetch them for a list) and, without ``since``, the last transition.
    """
    entry = WAITING.get(application.state)
    if entry is None:
        return None
    tier, text, step = entry
    if application.state == S.RETURNED and application.returned_from in WAITING:
        step = WAITING[application.returned_from][2]
    word = "commune" if tier == Tier.COMMUNE else _approving_word(application.cycle.rule_set)
    if since is None:
        since = getattr(application, "waiting_since", None)
    if since is None:
        last = application.transitions.order_by("-at").values_list("at", flat=True).first()
        since = last or application.created_at
    deadline = next((s.ends_on for s in application.cycle.steps.all() if s.step == step), None) if step else None
    return Waiting(tier=tier, text=text % {"tier": TIER_WORDS[word]}, since=since, deadline=deadline)


def with_waiting(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate a list with ``waiting_since`` (the last move, one subquery) and prefetch the cycle's steps."""
    last_move = ApplicationTransition.objects.filter(application=OuterRef("pk")).order_by("-at").values("at")[:1]
    return queryset.annotate(waiting_since=Coalesce(Subquery(last_move), F("created_at"))).prefetch_related(
        "cycle__steps"
    )


def waiting_for(queryset: QuerySet[Application], user: "User") -> QuerySet[Application]:
    """The applications of ``queryset`` on which it is ``user``'s move."""
    commune_states = [s for s, (tier, *_rest) in WAITING.items() if tier == Tier.COMMUNE]
    approving_states = [s for s, (tier, *_rest) in WAITING.items() if tier == Tier.APPROVING]
    if user.role == Role.COMMUNE_OFFICER and user.unit_id:
        return queryset.filter(state__in=commune_states, product__commune_id=user.unit_id)
    if user.role == Role.DISTRICT_OFFICER:
        return queryset.filter(state__in=approving_states, cycle__rule_set=RuleSet.QD148_2023)
    if user.role == Role.PROVINCE_OFFICER:
        return queryset.filter(state__in=approving_states).exclude(cycle__rule_set=RuleSet.QD148_2023)
    return queryset.none()


def cycles_open_for(commune: "AdministrativeUnit") -> "QuerySet[Cycle]":
    """Cycles an idea from ``commune`` may join: cycles of the units above it, newest first."""
    return Cycle.objects.filter(unit__path__in=commune.path_prefixes).select_related("unit")


def available_actions(user: Any, application: Application) -> list[str]:
    """The target states ``user`` may move ``application`` to now (for the buttons on its page)."""
    tiers = user_tiers(user, application)
    if not tiers:
        return []
    return [
        to
        for to in allowed_targets(application.state, application.returned_from)
        if tiers & (legal_tiers(application.state, application.returned_from, to) or set())
    ]


def next_actors(application: Application, state: str) -> "QuerySet[User]":
    """The active users asked to act on ``application`` once it is in ``state``: exactly those the state machine's
    tier predicates accept (their query forms over users, :mod:`apps.cycles.rules`)."""
    tier = NEXT_ACTOR[state]
    if tier == Tier.COMMUNE:
        return User.objects.filter(q_commune_officers_of(application))
    return User.objects.filter(q_approving_officers_of(application))


def dossier_locked_message(application: Application) -> str | None:
    """Why the dossier's edit pages are closed in the application's state, or None while it may be edited.

    The edit forms show it on a GET and send the officer back, instead of offering a form the service will refuse.
    """
    if application.state in DOSSIER_EDITABLE_STATES:
        return None
    return str(
        _("The dossier can no longer be edited in the state “%(state)s”.")
        % {"state": ApplicationState(application.state).label}
    )
