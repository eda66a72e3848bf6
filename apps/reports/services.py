"""Writes of the reports app: preparing and generating report rows and files, and moving a report up the chain.

The chain (``TRANSITIONS``), one table and the one function :func:`report_transition` that applies it:

=========  =========  ==================  =====================================================
from       to         who                 note
=========  =========  ==================  =====================================================
draft      submitted  the unit's officer  the narrative is sent with the generated figures
returned   submitted  the unit's officer  resubmission after correction
submitted  accepted   the parent's officer  locked: figures frozen, narrative read-only
submitted  returned   the parent's officer  reason required
=========  =========  ==================  =====================================================

The parent is the unit above in the report's own edition: commune → district → province under the pre-2025 list
(``qd148-2023``), commune → province under the 2025 list (``qd1489-2025``, no districts); a province's reports
go to the central level.
"""

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.core.moments import moment
from apps.core.rendering import render_claim, render_claimed, render_fail, render_regenerate
from apps.geo.enums import Level
from apps.geo.models import AdministrativeUnit
from apps.products.models import Product

from . import rendering
from .enums import FileState, ReportKind, ReportState
from .models import Report, ReportTransition
from .periods import Period
from .rules import REPORTING_OFFICERS, is_unit_officer
from .selectors import children_status, unit_figures

logger = logging.getLogger(__name__)
R = ReportState
UNIT = "unit"
PARENT = "parent"

TRANSITIONS: dict[tuple[str, str], str] = {  # (ReportState, ReportState) -> who
    (R.DRAFT, R.SUBMITTED): UNIT,
    (R.RETURNED, R.SUBMITTED): UNIT,
    (R.SUBMITTED, R.ACCEPTED): PARENT,
    (R.SUBMITTED, R.RETURNED): PARENT,
}
EDITABLE_STATES = (R.DRAFT, R.RETURNED)


def is_parent_officer(user: Any, unit: AdministrativeUnit) -> bool:
    """The officer who receives ``unit``'s reports: of the parent unit, or central for a province."""
    if not user.is_authenticated:
        return False
    if unit.parent_id is None:
        return user.role in (Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN) and user.unit_id is None
    return user.role in REPORTING_OFFICERS and user.unit_id == unit.parent_id


def report_prepare(*, unit: AdministrativeUnit, period: Period) -> Report:
    """The report row of ``unit`` for ``period`` (created as a draft), files marked to be generated.

    Refused for a submitted or accepted report: what the level above received must not change under it.
    """
    with transaction.atomic():
        report, _created = Report.objects.select_for_update().get_or_create(
            unit=unit,
            kind=period.kind,
            period=period.key,
            defaults={"period_start": period.start, "period_end": period.end},
        )
        if report.state not in EDITABLE_STATES:
            raise ValidationError(_("This report has been submitted: its figures can no longer be regenerated."))
        # A report being generated is left alone: its worker is about to write it.
        render_regenerate(report)
    return report


def report_render(*, report_id: int, today: datetime.date | None = None) -> bool:
    """Compute the figures and write the PDF and XLSX of one report; a second run of a claimed row does nothing."""
    claim = render_claim(Report, [report_id], among=Q(state__in=EDITABLE_STATES))
    if not render_claimed(Report, claim).exists():
        return False
    report = Report.objects.select_related("unit").get(pk=report_id)
    first_time = report.generated_at is None
    try:
        period = Period.parse(report.period)
        figures = unit_figures(unit=report.unit, period=period, today=today)
        # The consolidated report says which children's reports it includes (received or accepted) and which not.
        figures["children_reports"] = [
            {"unit": row["unit"].name, "status": str(row["status"].label), "status_code": str(row["status"])}
            for row in children_status(unit=report.unit, period=period, today=today)
        ]
        number = report.number or f"{report.pk}/BC-OCOP"
        issued_on = timezone.localdate()
        narrative = {"results": report.results, "difficulties": report.difficulties, "proposals": report.proposals}
        pdf = rendering.render_pdf(
            figures=figures, unit=report.unit, number=number, issued_on=issued_on, narrative=narrative
        )
        xlsx = rendering.render_xlsx(figures=figures)
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        render_fail(Report, claim, exc, transient=False)
        raise
    unit = report.unit
    base = f"reports/{period.year}/{unit.edition}-{unit.level}-{unit.code}-{report.kind}-{report.period}"
    storage = report.pdf.storage
    for name, data in ((f"{base}.pdf", pdf), (f"{base}.xlsx", xlsx)):
        if storage.exists(name):  # re-running a period replaces its files
            storage.delete(name)
        storage.save(name, ContentFile(data))
    with transaction.atomic():
        updated = (
            render_claimed(Report, claim)
            .filter(state__in=EDITABLE_STATES)
            .update(
                figures=figures,
                number=number,
                pdf=f"{base}.pdf",
                xlsx=f"{base}.xlsx",
                file_state=FileState.READY,
                generated_at=timezone.now(),
                render_claim=None,
                render_error="",
            )
        )
        if updated and first_time:
            with translation.override(settings.LANGUAGE_CODE):
                _mail_ready(report)
    return bool(updated)


def _mail_ready(report: Report) -> None:
    """Tell the unit's officers their report is ready to complete (the first time its files exist)."""
    _mail_on_commit(
        officers_of(report.unit),
        gettext("[OCOP] The %(kind)s report %(period)s of %(unit)s is ready")
        % {"kind": report.get_kind_display().lower(), "period": report.period, "unit": report.unit.name},
        [
            gettext(
                "The figures and files of the report are ready. Add the narrative (results, difficulties, "
                "proposals) and submit it to the level above."
            ),
            gettext("Open the report: %(url)s")
            % {"url": _absolute(reverse("reports:report_detail", args=[report.pk]))},
        ],
    )


def officers_of(unit: AdministrativeUnit | None) -> QuerySet[User]:
    """The officers who write ``unit``'s reports (``None``: the central officers)."""
    if unit is None:
        return User.objects.filter(role=Role.CENTRAL_OFFICER, unit__isnull=True, is_active=True)
    return User.objects.filter(role__in=REPORTING_OFFICERS, unit=unit, is_active=True)


def _absolute(path: str) -> str:
    return f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}{path}"


def _mail_on_commit(users: QuerySet[User], subject: str, lines: Iterable[str]) -> None:
    recipients = sorted(users.values_list("email", flat=True))
    if recipients:
        body = "\n\n".join(lines)
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=False))


def reports_remind_late(*, today: datetime.date | None = None) -> int:
    """Tell the level above, once per report, which of its children's reports of the last periods are late."""
    today = today or timezone.localdate()
    told = 0
    for kind in ReportKind.values:
        period = Period.last_complete(kind, today)
        if today <= period.due_on:
            continue
        late = Report.objects.filter(
            kind=kind, period=period.key, state__in=EDITABLE_STATES, late_reminder_sent_at__isnull=True
        ).select_related("unit__parent")
        by_parent: dict[AdministrativeUnit | None, list[Report]] = {}
        for report in late:  # one per late unit
            by_parent.setdefault(report.unit.parent, []).append(report)
        for parent, reports in by_parent.items():
            with transaction.atomic():
                ids = [r.pk for r in reports]
                if not Report.objects.filter(pk__in=ids, late_reminder_sent_at__isnull=True).update(
                    late_reminder_sent_at=timezone.now()
                ):
                    continue
                with translation.override(settings.LANGUAGE_CODE):
                    _mail_on_commit(
                        officers_of(parent),
                        gettext("[OCOP] Late reports for %(period)s") % {"period": period.label},
                        [
                            gettext("These reports for %(period)s were due on %(date)s and have not been submitted:")
                            % {"period": period.label, "date": f"{period.due_on:%d/%m/%Y}"},
                            "\n".join(f"- {r.unit.name}" for r in reports),
                            gettext("See them: %(url)s") % {"url": _absolute(reverse("reports:report_list"))},
                        ],
                    )
                told += len(reports)
    return told


def units_with_data() -> QuerySet[AdministrativeUnit]:
    """Provinces and districts of both editions with at least one product in their subtree (two queries)."""
    paths: set[str] = set()
    for path in Product.objects.order_by().values_list("commune__path", flat=True).distinct():
        paths.update(AdministrativeUnit.prefixes_of(path)[:-1])
    return AdministrativeUnit.objects.filter(path__in=paths, level__in=[Level.PROVINCE, Level.DISTRICT]).order_by(
        "path"
    )


def reports_prepare_period(*, period: Period, units: Iterable[AdministrativeUnit] | None = None) -> list[Report]:
    """Prepare the report of every unit (default: :func:`units_with_data`); submitted ones are left alone."""
    prepared = []
    for unit in units if units is not None else units_with_data():
        try:
            prepared.append(report_prepare(unit=unit, period=period))
        except ValidationError:
            continue
    return prepared


def report_update_narrative(*, report: Report, results: str, difficulties: str, proposals: str, by: User) -> Report:
    if not is_unit_officer(by, report.unit):
        raise PermissionDenied
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.state not in EDITABLE_STATES:
            raise ValidationError(_("This report is no longer a draft: its narrative cannot be changed."))
        before = {"results": locked.results, "difficulties": locked.difficulties, "proposals": locked.proposals}
        locked.results, locked.difficulties, locked.proposals = results, difficulties, proposals
        locked.save(update_fields=["results", "difficulties", "proposals", "updated_at"])
        audit_record(
            action="report.narrative",
            obj=locked,
            by=by,
            before=before,
            after={"results": results, "difficulties": difficulties, "proposals": proposals},
        )
    return locked


def report_transition(
    *, report: Report, to_state: str, by: User, reason: str = "", at: datetime.datetime | None = None
) -> Report:
    """Move ``report`` to ``to_state`` if the table allows it and ``by`` is the right officer.

    ``at`` is when the move was made: now, or a past moment when the demo replays the last months' reports (never
    in the future nor before the report's last move; recorded in the audit row). A submission dated after the
    period's due day is late, as any other.
    """
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
        who = TRANSITIONS.get((locked.state, to_state))
        if who is None:
            raise ValidationError(
                _("A report in the state “%(state)s” cannot go to “%(to)s”.")
                % {"state": locked.get_state_display(), "to": R(to_state).label}
            )
        allowed = is_unit_officer(by, locked.unit) if who == UNIT else is_parent_officer(by, locked.unit)
        if not allowed:
            raise PermissionDenied
        reason = (reason or "").strip()
        if to_state == R.RETURNED and not reason:
            raise ValidationError(_("Give the reason for returning the report."))
        if to_state == R.SUBMITTED and locked.file_state != FileState.READY:
            raise ValidationError(_("Generate the report's files before submitting it."))
        from_state = locked.state
        now = timezone.now()
        if at is not None:
            last_move = locked.transitions.order_by("-at", "-pk").values_list("at", flat=True).first()
            now = moment(at, after=last_move)
        locked.state = to_state
        fields = ["state", "updated_at"]
        if to_state == R.SUBMITTED:
            locked.submitted_at, locked.submitted_by = now, by
            fields += ["submitted_at", "submitted_by"]
        else:
            locked.decided_at, locked.decided_by = now, by
            fields += ["decided_at", "decided_by"]
        if to_state == R.RETURNED:
            locked.return_reason = reason
            fields.append("return_reason")
        locked.save(update_fields=fields)
        ReportTransition.objects.create(
            report=locked, from_state=from_state, to_state=to_state, by=by, reason=reason, at=now
        )
        after = {"state": to_state}
        if at is not None:
            after["at"] = now.isoformat()
        audit_record(
            action=f"report.{to_state}", obj=locked, by=by, before={"state": from_state}, after=after, reason=reason
        )
    return locked
