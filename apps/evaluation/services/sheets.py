"""Score sheets: opening, saving and submitting, reopening; and the commune pre-check (qd1489-2025)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cycles.enums import ApplicationState
from apps.cycles.models import Application

from ..eligibility import required_state
from ..enums import (
    SCORING_ROLES,
    SheetState,
    Tier,
)
from ..models import (
    CommunePreCheck,
    ConflictDeclaration,
    ScoreAnswer,
    ScoreSheet,
)
from ..rules import is_round_chair
from .rounds import _require_open


def _lock_eligible_application(entry):
    """Lock the entry's application; refuse scoring once it has left the step this round rates."""
    application = Application.objects.select_for_update().get(pk=entry.application_id)
    expected = required_state(entry.round)
    if application.state != expected:
        raise ValidationError(
            _("This application is now at the step “%(state)s”: it can no longer be scored in this round.")
            % {"state": ApplicationState(application.state).label}
        )
    return application


def sheet_open(*, entry, member):
    """The member's sheet for the product (created as an empty draft). Refused to a conflicted member."""
    if member.round_id != entry.round_id or member.role not in SCORING_ROLES:
        raise PermissionDenied
    if ConflictDeclaration.objects.filter(entry=entry, member=member).exists():
        raise PermissionDenied
    sheet = ScoreSheet.objects.filter(entry=entry, member=member).first()
    if sheet is None:
        _require_open(entry.round)
        sheet, _created = ScoreSheet.objects.get_or_create(round=entry.round, entry=entry, member=member)
    return sheet


def sheet_compute_total(*, sheet):
    """The one place a member's total is computed: the sum of the chosen options' points."""
    total = sheet.answers.aggregate(total=Sum("points"))["total"] or Decimal(0)
    sheet.total = total
    sheet.save(update_fields=["total", "updated_at"])
    return total


def _answers_snapshot(sheet):
    return {
        a["criterion__code"]: a["option__code"]
        for a in sheet.answers.values("criterion__code", "option__code").order_by("criterion__code")
    }


@transaction.atomic
def sheet_save(*, sheet, choices, by, submit=False):
    """Record the member's options (``{criterion_id: option_id}``); with ``submit`` every criterion must be answered."""
    sheet = ScoreSheet.objects.select_for_update().select_related("round", "entry", "member").get(pk=sheet.pk)
    _require_open(sheet.round)
    if sheet.member.user_id != by.pk:
        raise PermissionDenied
    _lock_eligible_application(sheet.entry)
    if sheet.state != SheetState.DRAFT:
        raise ValidationError(_("This sheet was submitted; only the chair can reopen it."))
    criteria = {c.pk: c for c in sheet.entry.template.criteria.prefetch_related("options")}
    errors = []
    resolved = {}
    for criterion_id, option_id in choices.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            errors.append(_("A criterion that is not on this sheet was submitted."))
            continue
        option = next((o for o in criterion.options.all() if o.pk == int(option_id)), None)
        if option is None:
            errors.append(_("Criterion %(code)s: this option does not belong to it.") % {"code": criterion.code})
            continue
        resolved[criterion] = option
    if errors:
        raise ValidationError(errors)
    before = {"answers": _answers_snapshot(sheet), "total": str(sheet.total), "state": sheet.state}
    for criterion, option in resolved.items():
        ScoreAnswer.objects.update_or_create(
            sheet=sheet, criterion=criterion, defaults={"option": option, "points": option.points}
        )
    if submit:
        answered = set(sheet.answers.values_list("criterion_id", flat=True))
        missing = [c.code for c in criteria.values() if c.pk not in answered]
        if missing:
            raise ValidationError(
                _("Choose an option for every criterion before submitting (missing: %(codes)s).")
                % {"codes": ", ".join(sorted(missing))}
            )
    sheet_compute_total(sheet=sheet)
    if submit:
        sheet.state = SheetState.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["state", "submitted_at", "updated_at"])
    after = {"answers": _answers_snapshot(sheet), "total": str(sheet.total), "state": sheet.state}
    if before != after:
        audit_record(action="evaluation.sheet_saved", obj=sheet, by=by, before=before, after=after)
    return sheet


@transaction.atomic
def sheet_reopen(*, sheet, by, reason=""):
    """The chair sends a submitted sheet back to draft for re-scoring (the spread rule)."""
    sheet = ScoreSheet.objects.select_for_update().select_related("round").get(pk=sheet.pk)
    _require_open(sheet.round)
    if not is_round_chair(by, sheet.round):
        raise PermissionDenied
    if sheet.state != SheetState.SUBMITTED:
        raise ValidationError(_("Only a submitted sheet can be reopened."))
    sheet.state = SheetState.DRAFT
    sheet.submitted_at = None
    sheet.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_record(
        action="evaluation.sheet_reopened",
        obj=sheet,
        by=by,
        before={"state": SheetState.SUBMITTED},
        after={"state": SheetState.DRAFT},
        reason=reason,
    )
    return sheet


@transaction.atomic
def precheck_record(*, entry, by, passed, reason, **criteria):
    """The commune pre-check (qd1489-2025): four local criteria, then forward or not, with the reason."""
    _require_open(entry.round)
    if entry.round.tier != Tier.COMMUNE:
        raise ValidationError(_("Only a commune pre-check round records pre-checks."))
    _lock_eligible_application(entry)
    existing = CommunePreCheck.objects.filter(entry=entry).first()
    before = None
    if existing is not None:
        before = {"passed": existing.passed, "reason": existing.reason}
    precheck, _created = CommunePreCheck.objects.update_or_create(
        entry=entry, defaults={"passed": passed, "reason": reason, "checked_by": by, **criteria}
    )
    precheck.full_clean()
    audit_record(
        action="evaluation.precheck_recorded",
        obj=precheck,
        by=by,
        before=before,
        after={"passed": passed, "reason": reason, **criteria},
    )
    return precheck
