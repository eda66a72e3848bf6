"""The dated steps of a cycle, enforced: registering an idea, submitting a plan or a dossier happen inside their step.

The organiser of the cycle (the province's officer, or the district's under qd148-2023 when the district opened it)
may extend a step's window, or let one late application through a closed step; both need a reason and are audited.
A cycle without dates for a step (an imported one) is not held to it.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record

from ..enums import ApplicationState, CycleStep
from ..models import CycleStepPeriod, LateAllowance
from ..rules import is_cycle_organiser

if TYPE_CHECKING:
    from apps.accounts.models import User

    from ..models import Application, Cycle

S = ApplicationState

# The step inside which each first submission must happen. A resubmission after a return is not held to it.
STEP_OF_MOVE: dict[tuple[str, str], int] = {  # (ApplicationState, ApplicationState) -> CycleStep
    (S.IDEA_ACCEPTED, S.PLAN_SUBMITTED): CycleStep.PLANS,
    (S.IMPLEMENTING, S.DOSSIER_SUBMITTED): CycleStep.EVALUATION,
}
ACTION_NAMES: dict[int, Any] = {  # keyed by CycleStep, which are ints
    CycleStep.IDEAS: _("Product idea registrations"),
    CycleStep.PLANS: _("Business plan submissions"),
    CycleStep.EVALUATION: _("Dossier submissions"),
}


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def step_window_problem(
    *, cycle: "Cycle", step: int, application: "Application | None" = None, today: datetime.date | None = None
) -> str | None:
    """Why ``step`` of ``cycle`` is closed today (a sentence), or None when it is open or allowed late."""
    today = today or timezone.localdate()
    period = CycleStepPeriod.objects.filter(cycle=cycle, step=step).first()
    if period is None or period.starts_on <= today <= period.ends_on:
        return None
    if application is not None and LateAllowance.objects.filter(application=application, step=step).exists():
        return None
    return gettext(
        "%(action)s are received in this cycle from %(starts)s to %(ends)s; today is %(today)s. "
        "Ask the cycle's organiser to extend the step or allow this item late."
    ) % {
        "action": ACTION_NAMES.get(step, CycleStep(step).label),
        "starts": _d(period.starts_on),
        "ends": _d(period.ends_on),
        "today": _d(today),
    }


def require_step_open(
    *,
    cycle: "Cycle",
    step: int,
    application: "Application | None" = None,
    field: str | None = None,
    today: datetime.date | None = None,
) -> None:
    problem = step_window_problem(cycle=cycle, step=step, application=application, today=today)
    if problem:
        raise ValidationError({field: problem} if field else problem, code="step_closed")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is recorded.")})
    return reason


@transaction.atomic
def cycle_step_extend(*, cycle: "Cycle", step: int, ends_on: datetime.date, reason: str, by: "User") -> CycleStepPeriod:
    """Move the end of a step's window (later, or earlier but not before it starts)."""
    if not is_cycle_organiser(by, cycle):
        raise PermissionDenied(gettext("Only the cycle's organiser may change its dates."))
    reason = _require_reason(reason)
    period = CycleStepPeriod.objects.select_for_update().filter(cycle=cycle, step=step).first()
    if period is None:
        raise ValidationError({"step": _("This cycle has no dates for this step.")})
    if ends_on < period.starts_on:
        raise ValidationError({"ends_on": _("The step cannot end before it starts (%(starts)s).") % {
            "starts": _d(period.starts_on)}})  # fmt: skip
    before = {"step": int(step), "ends_on": period.ends_on.isoformat()}
    period.ends_on = ends_on
    period.save(update_fields=["ends_on"])
    audit_record(
        action="cycle.step_extended",
        obj=cycle,
        by=by,
        before=before,
        after={"step": int(step), "ends_on": ends_on.isoformat()},
        reason=reason,
    )
    return period


@transaction.atomic
def late_allowance_grant(*, application: "Application", step: int, reason: str, by: "User") -> LateAllowance:
    """Let ``application`` through ``step`` after its window closed (one item, with a recorded reason)."""
    if not is_cycle_organiser(by, application.cycle):
        raise PermissionDenied(gettext("Only the cycle's organiser may allow a late item."))
    reason = _require_reason(reason)
    if step not in (CycleStep.PLANS, CycleStep.EVALUATION):
        raise ValidationError({"step": _("A late item is allowed for a business plan or a dossier.")})
    allowance, created = LateAllowance.objects.get_or_create(
        application=application, step=step, defaults={"reason": reason, "granted_by": by}
    )
    if created:
        audit_record(
            action="application.late_allowed", obj=application, by=by, after={"step": int(step)}, reason=reason
        )
    return allowance
