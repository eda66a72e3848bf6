"""Yearly OCOP plans and their targets."""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from apps.audit.services import audit_record

from ..enums import TargetKind
from ..models import Plan, Target

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.geo.models import AdministrativeUnit


def may_edit_plan(user: Any, unit: "AdministrativeUnit | None") -> bool:
    """``cycles.change_plan`` on ``unit`` (its plans belong to it); no unit, no plan."""
    return unit is not None and user.has_perm("cycles.change_plan", unit)


@transaction.atomic
def plan_save(
    *, unit: "AdministrativeUnit", year: int, title: str = "", targets: dict[str, int | None], by: "User"
) -> Plan:
    """Create or update ``unit``'s plan for ``year``; ``targets`` maps TargetKind → value (None removes it)."""
    if not may_edit_plan(by, unit):
        raise PermissionDenied(gettext("Only the officers of this unit may edit its plan."))
    plan, _created = Plan.objects.select_for_update().get_or_create(unit=unit, year=year)
    before = {t.kind: t.value for t in plan.targets.all()}
    if title:
        plan.title = title
        plan.save(update_fields=["title", "updated_at"])
    for raw_kind, value in targets.items():
        kind = TargetKind(raw_kind)
        if value is None:
            Target.objects.filter(plan=plan, kind=kind).delete()
        else:
            Target.objects.update_or_create(plan=plan, kind=kind, defaults={"value": value})
    after = {t.kind: t.value for t in plan.targets.all()}
    audit_record(action="plan.save", obj=plan, by=by, before=before, after=after)
    return plan
