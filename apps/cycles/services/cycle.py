"""Opening a yearly OCOP cycle with the dates of its six steps, and the cycles a commune's ideas may join."""

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.core.enums import RuleSet
from apps.geo.enums import Level

from ..enums import CycleStep
from ..models import Cycle, CycleStepPeriod
from ..rules import may_open_cycle_for

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.geo.models import AdministrativeUnit


@dataclass(frozen=True)
class StepDates:
    step: int
    starts_on: datetime.date
    ends_on: datetime.date


def cycle_create(
    *, unit: "AdministrativeUnit", year: int, rule_set: str, name: str = "", steps: Iterable[StepDates], by: "User"
) -> Cycle:
    """Open a yearly cycle for a province (or, under qd148-2023, a district) with the dates of the six steps."""
    errors: dict[str, Any] = {}
    if unit.level == Level.COMMUNE:
        errors["unit"] = _("A cycle is opened by a province or a district, not by a commune.")
    elif unit.level == Level.DISTRICT and rule_set != RuleSet.QD148_2023:
        errors["unit"] = _(
            "Under Decision 1489/QĐ-TTg (2025) districts no longer exist: only a province opens a cycle."
        )
    if rule_set not in (RuleSet.QD148_2023, RuleSet.QD1489_2025):
        errors["rule_set"] = _("New cycles run under Decision 148 (2023) or Decision 1489 (2025).")
    if not may_open_cycle_for(by, unit):
        raise PermissionDenied(gettext("Only the officers of this unit may open its cycle."))
    steps = sorted(steps, key=lambda s: s.step)
    if [s.step for s in steps] != list(CycleStep.values):
        errors["steps"] = _("Give the dates of all six steps.")
    else:
        for s in steps:
            if s.starts_on > s.ends_on:
                errors.setdefault("steps", []).append(
                    gettext("Step %(step)s ends before it starts.") % {"step": s.step}
                )
        for prev, cur in itertools.pairwise(steps):
            if cur.starts_on < prev.starts_on:
                errors.setdefault("steps", []).append(
                    gettext("Step %(step)s starts before step %(prev)s.") % {"step": cur.step, "prev": prev.step}
                )
    if Cycle.objects.filter(unit=unit, year=year).exists():
        errors["year"] = _("This unit already has a cycle for this year.")
    if errors:
        raise ValidationError(errors)
    cycle = Cycle(
        unit=unit,
        year=year,
        rule_set=rule_set,
        name=name
        or gettext("OCOP cycle %(year)s — %(unit)s")
        % {
            "year": year,
            "unit": unit.name,
        },
    )
    cycle.full_clean()
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as exc:
        raise ValidationError({"year": _("This unit already has a cycle for this year.")}) from exc
    CycleStepPeriod.objects.bulk_create(
        CycleStepPeriod(cycle=cycle, step=s.step, starts_on=s.starts_on, ends_on=s.ends_on) for s in steps
    )
    audit_record(action="cycle.create", obj=cycle, by=by, after={"year": year, "rule_set": rule_set})
    return cycle
