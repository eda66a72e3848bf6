"""Which reports a user sees, and what the level above sees of its children's reports for one period."""

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from apps.geo.enums import Level
from apps.geo.models import AdministrativeUnit

from ..enums import ChildReportStatus, ReportState
from ..models import Report
from ..rules import q_view_report

if TYPE_CHECKING:
    from apps.geo.models import AdministrativeUnit

    from ..periods import Period


def reports_visible_to(user: Any) -> QuerySet[Report]:
    """The reports ``user`` may view (``reports.view_report``): their subtree's and those of the units above."""
    return Report.objects.select_related("unit").filter(q_view_report(user))


def children_status(
    *, unit: "AdministrativeUnit | None", period: "Period", today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """One row per child unit: its report for ``period`` (or none) and received / accepted / returned / missing /
    late. Two queries whatever the number of children. For the central level (``unit`` None): the provinces of
    either list that have ever had a report."""

    today = today or timezone.localdate()
    if unit is None:
        children = list(
            AdministrativeUnit.objects.filter(level=Level.PROVINCE, ocop_reports__isnull=False)
            .distinct()
            .order_by("edition", "code")
        )
        in_scope = Report.objects.filter(unit__parent__isnull=True)
    else:
        children = list(AdministrativeUnit.objects.filter(parent=unit).order_by("code"))
        in_scope = Report.objects.filter(unit__parent=unit)
    reports = {r.unit_id: r for r in in_scope.filter(kind=period.kind, period=period.key)}
    late = today > period.due_on
    rows = []
    for child in children:  # one per child unit
        report = reports.get(child.pk)
        state = report.state if report else None
        if state == ReportState.SUBMITTED:
            status = ChildReportStatus.RECEIVED
        elif state == ReportState.ACCEPTED:
            status = ChildReportStatus.ACCEPTED
        elif state == ReportState.RETURNED:
            status = ChildReportStatus.RETURNED
        else:
            status = ChildReportStatus.LATE if late else ChildReportStatus.MISSING
        if report and report.submitted_at and timezone.localdate(report.submitted_at) > period.due_on:
            late_submission = True
        else:
            late_submission = False
        rows.append({"unit": child, "report": report, "status": status, "late_submission": late_submission})
    return rows
