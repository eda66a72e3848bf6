"""Score sheets: opening, saving and submitting, reopening; and the commune pre-check (qd1489-2025)."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from apps.audit.services import audit_record

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
from .transitions import lock_eligible_application, require_round_open, sheet_transition

if TYPE_CHECKING:
    from apps.accounts.models import User

    from ..models import CouncilMember, RoundEntry


def _require_may_score(*, entry: "RoundEntry", member: "CouncilMember") -> None:
    if member.round_id != entry.round_id or member.role not in SCORING_ROLES:
        raise PermissionDenied
    if ConflictDeclaration.objects.filter(entry=entry, member=member).exists():
        raise PermissionDenied


def sheet_open(*, entry: "RoundEntry", member: "CouncilMember") -> ScoreSheet:
    """The member's sheet for the product; refused to a conflicted member. Writes nothing (it runs on a GET).

    A member who has not saved yet gets an unsaved empty draft: :func:`sheet_save` creates the row.
    """
    _require_may_score(entry=entry, member=member)
    sheet = ScoreSheet.objects.filter(entry=entry, member=member).first()
    if sheet is None:
        require_round_open(entry.round)
        sheet = ScoreSheet(round=entry.round, entry=entry, member=member)
    return sheet


def sheet_compute_total(*, sheet: ScoreSheet) -> Decimal:
    """The one place a member's total is computed: the sum of the chosen options' points."""
    total = sheet.answers.aggregate(total=Sum("points"))["total"] or Decimal(0)
    sheet.total = total
    sheet.save(update_fields=["total", "updated_at"])
    return total


def _answers_snapshot(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        a["criterion__code"]: a["option__code"]
        for a in sheet.answers.values("criterion__code", "option__code").order_by("criterion__code")
    }


@transaction.atomic
def sheet_save(*, sheet: ScoreSheet, choices: dict[int, int], by: "User", submit: bool = False) -> ScoreSheet:
    """Record the member's options (``{criterion_id: option_id}``); with ``submit`` every criterion must be answered.

    The first save of an unsaved sheet from :func:`sheet_open` creates its row.
    """
    given = sheet
    if sheet.pk is None:
        _require_may_score(entry=sheet.entry, member=sheet.member)
        require_round_open(sheet.entry.round)
        sheet, _created = ScoreSheet.objects.get_or_create(
            round_id=sheet.entry.round_id, entry=sheet.entry, member=sheet.member
        )
    sheet = ScoreSheet.objects.select_for_update().select_related("round", "entry", "member").get(pk=sheet.pk)
    require_round_open(sheet.round)
    if sheet.member.user_id != by.pk:
        raise PermissionDenied
    lock_eligible_application(sheet.entry)
    if not sheet.is_scorable:
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
    sheet_compute_total(sheet=sheet)
    if submit:
        sheet = sheet_transition(sheet=sheet, to_state=SheetState.SUBMITTED, by=by)
    after = {"answers": _answers_snapshot(sheet), "total": str(sheet.total), "state": sheet.state}
    if before != after:
        audit_record(action="evaluation.sheet_saved", obj=sheet, by=by, before=before, after=after)
    # The caller's sheet is now the saved row (as after Model.save()).
    given.pk, given.state, given.total, given.submitted_at = sheet.pk, sheet.state, sheet.total, sheet.submitted_at
    return sheet


def sheet_reopen(*, sheet: ScoreSheet, by: "User", reason: str = "") -> ScoreSheet:
    """The chair sends a submitted sheet back to its member for re-scoring (the spread rule): it is reopened."""
    return sheet_transition(sheet=sheet, to_state=SheetState.REOPENED, by=by, reason=reason)


@transaction.atomic
def precheck_record(*, entry: "RoundEntry", by: "User", passed: bool, reason: str, **criteria: Any) -> CommunePreCheck:
    """The commune pre-check (qd1489-2025): four local criteria, then forward or not, with the reason."""
    require_round_open(entry.round)
    if entry.round.tier != Tier.COMMUNE:
        raise ValidationError(_("Only a commune pre-check round records pre-checks."))
    if not by.has_perm("evaluation.record_precheck", entry.round):
        raise PermissionDenied(_("Only an officer who manages this pre-check round may record its pre-checks."))
    lock_eligible_application(entry)
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
