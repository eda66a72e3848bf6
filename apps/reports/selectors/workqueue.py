"""The work queue on the dashboard: what waits for *this* user, each item a count and a link to the list it counts.

A fixed number of queries whatever the size of the user's unit: one conditional-aggregation query per table the
items count (applications, entries to score, rounds, certificates, vault documents, reports). The dashboard serves
it per user from the cache while the data has not changed (``dashboard_queue`` in selectors/versioned.py).
"""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.enums import Role
from apps.certificates.selectors import certificates_visible_to
from apps.core.enums import RenderState, RuleSet
from apps.core.policy import scope
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import CycleStepPeriod
from apps.cycles.selectors import applications_visible_to, cycles_visible_to
from apps.evaluation.enums import COUNTED_SHEET_STATES, SCORABLE_SHEET_STATES, SCORING_ROLES, RoundState
from apps.evaluation.models import RecognitionDecision, RoundEntry, ScoreSheet
from apps.evaluation.selectors import rounds_visible_to
from apps.producers.models import ProducerDocument

from ..enums import ReportState
from ..models import Report

CERTIFICATE_WARNING_DAYS = 30
STEP_WARNING_DAYS = 14
OFFICERS = {Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN}
APPROVERS = {
    Role.DISTRICT_OFFICER: (RuleSet.QD148_2023, RuleSet.QD1048_2019),
    Role.PROVINCE_OFFICER: (RuleSet.QD1489_2025,),
}


@dataclass
class QueueItem:
    label: str
    count: int
    url: str
    urgent: bool = False


def _link(name: str, **params: Any) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def shows_certificates(user: Any) -> bool:
    """Whether the queue has the certificate items: an officer above the commune who may open the certificates list
    (the certificate office: province, central), so no item links to a page that refuses. Asked of Django's
    permission backends only for those roles (for the others it would cost two permission queries)."""
    return (
        user.role in OFFICERS and user.role != Role.COMMUNE_OFFICER and user.has_perm("certificates.list_certificates")
    )


def work_queue(user: Any, today: datetime.date | None = None) -> list[QueueItem]:
    """The items waiting for ``user`` (only those with a count above zero), most urgent first."""
    today = today or timezone.localdate()
    items = []
    role = user.role
    if role in (Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.PRODUCER):
        apps = applications_visible_to(user).order_by()
        wanted = {}
        if role == Role.COMMUNE_OFFICER:
            wanted = {
                "check": Q(state=S.DOSSIER_SUBMITTED),
                "forward": Q(state=S.DOSSIER_CHECKED),
                "returned": Q(state=S.RETURNED),
            }
        elif role == Role.PRODUCER:
            wanted = {"returned": Q(state=S.RETURNED)}
        else:
            rule_sets = APPROVERS[role]
            wanted = {
                "ideas": Q(state=S.IDEA_REGISTERED, cycle__rule_set__in=rule_sets),
                "plans": Q(state=S.PLAN_SUBMITTED, cycle__rule_set__in=rule_sets),
            }
        counts = apps.aggregate(**{key: Count("pk", filter=cond) for key, cond in wanted.items()})
        labels = {
            "check": (_("Dossiers to check"), S.DOSSIER_SUBMITTED),
            "forward": (_("Checked dossiers to send up for evaluation"), S.DOSSIER_CHECKED),
            "returned": (_("Returned applications to correct"), S.RETURNED),
            "ideas": (_("Product ideas to approve"), S.IDEA_REGISTERED),
            "plans": (_("Business plans to approve"), S.PLAN_SUBMITTED),
        }
        for key in wanted:
            label, state = labels[key]
            items.append(QueueItem(label, counts[key], _link("cycles:work_list", state=state), key == "returned"))
    if role == Role.COUNCIL_MEMBER or role in OFFICERS:
        to_score = (
            RoundEntry.objects.filter(
                round__state=RoundState.OPEN, round__members__user=user, round__members__role__in=SCORING_ROLES
            )
            .exclude(sheets__member__user=user, sheets__state__in=COUNTED_SHEET_STATES)
            .exclude(conflicts__member__user=user)
            .count()
        )
        items.append(QueueItem(_("Score sheets to fill in"), to_score, _link("evaluation:round_list"), True))
    if role in OFFICERS and role != Role.COMMUNE_OFFICER:
        # One query over the rounds, each condition an EXISTS (no join of every entry with every sheet): ready to
        # close = open, with entries, no draft or reopened sheet and at least one submitted; undecided = closed, with
        # entries, and no recognition decision.
        has_entries = Q(Exists(RoundEntry.objects.filter(round=OuterRef("pk"))))
        sheets = ScoreSheet.objects.filter(round=OuterRef("pk"))
        rounds = (
            rounds_visible_to(user=user)
            .order_by()
            .aggregate(
                ready=Count(
                    "pk",
                    filter=Q(state=RoundState.OPEN)
                    & has_entries
                    & ~Q(Exists(sheets.filter(state__in=SCORABLE_SHEET_STATES)))
                    & Q(Exists(sheets.filter(state__in=COUNTED_SHEET_STATES))),
                ),
                undecided=Count(
                    "pk",
                    filter=Q(state=RoundState.CLOSED)
                    & has_entries
                    & ~Q(Exists(RecognitionDecision.objects.filter(round=OuterRef("pk")))),
                ),
            )
        )
        items.append(QueueItem(_("Rounds ready to close"), rounds["ready"], _link("evaluation:round_list")))
        items.append(
            QueueItem(
                _("Closed rounds without a recognition decision"), rounds["undecided"], _link("evaluation:round_list")
            )
        )
        if shows_certificates(user):
            certificates = (
                certificates_visible_to(user)
                .order_by()
                .aggregate(
                    failed=Count("pk", filter=Q(render_state=RenderState.FAILED)),
                    expiring=Count(
                        "pk",
                        filter=Q(
                            revoked_at__isnull=True,
                            superseded_by__isnull=True,
                            valid_from__lte=today,
                            valid_until__gte=today,
                            valid_until__lte=today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS),
                        ),
                    ),
                )
            )
            items.append(
                QueueItem(
                    _("Certificates whose PDF failed"),
                    certificates["failed"],
                    _link("certificates:list", render_state=RenderState.FAILED),
                    True,
                )
            )
            items.append(
                QueueItem(
                    _("Certificates expiring within 30 days"),
                    certificates["expiring"],
                    _link("certificates:list", status="valid"),
                    True,
                )
            )
    if role in OFFICERS:
        expired = (
            scope(ProducerDocument.objects.all(), user, unit_field="producer__commune")
            .filter(expires_on__lt=today)
            .values("producer")
            .distinct()
            .count()
        )
        items.append(QueueItem(_("Producers with expired vault documents"), expired, _link("producers:producer_list")))
        # One query: a national user (no unit) has no reports of their own (a report always has a unit).
        reports = (
            scope(Report.objects.all(), user, unit_field="unit")
            .order_by()
            .aggregate(
                mine=Count("pk", filter=Q(unit_id=user.unit_id, state__in=[ReportState.DRAFT, ReportState.RETURNED])),
                to_review=Count("pk", filter=Q(state=ReportState.SUBMITTED) & ~Q(unit_id=user.unit_id)),
            )
        )
        items.append(
            QueueItem(_("Reports of your unit to complete and submit"), reports["mine"], _link("reports:report_list"))
        )
        items.append(
            QueueItem(
                _("Reports received to accept or return"),
                reports["to_review"],
                _link("reports:report_list", state=ReportState.SUBMITTED),
            )
        )
    items = [item for item in items if item.count]
    items.sort(key=lambda item: not item.urgent)
    return items


def closing_steps(user: Any, today: datetime.date | None = None) -> list[Any]:
    """Steps of the user's cycles that close within 14 days (a few rows)."""
    if user.role == Role.PRODUCER:
        return []
    today = today or timezone.localdate()
    return list(
        CycleStepPeriod.objects.filter(
            cycle__in=cycles_visible_to(user).values("pk"),
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=STEP_WARNING_DAYS),
        )
        .select_related("cycle__unit")
        .order_by("ends_on")[:10]
    )
