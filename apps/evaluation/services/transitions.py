"""The councils' two state machines: a member's score sheet and a round. One table and one function each.

Score sheets (``SHEET_TRANSITIONS``):

=========  =========  =====================  ========================================================
from       to         who (rules predicate)  note
=========  =========  =====================  ========================================================
draft      submitted  ``is_sheet_member``    the sheet's own member; every criterion answered, eligible
submitted  reopened   ``is_round_chair``     the chair reopens it for re-scoring (the spread rule)
reopened   submitted  ``is_sheet_member``    the member submits the re-scored sheet
submitted  locked     closing the round      only :func:`round_transition` makes this move, for every
                                             submitted sheet of the round at once
=========  =========  =====================  ========================================================

Every sheet of a closed round is refused every move. A sheet still in draft or reopened at closing did not count
and stays as it was. Only draft and reopened sheets take options (``SCORABLE_SHEET_STATES``); submitted and
locked sheets are the ones counted (``COUNTED_SHEET_STATES``).

Rounds (``ROUND_TRANSITIONS``):

======  ======  =====================================================================================
from    to      who (``evaluation.rules.may_close_round``) and note
======  ======  =====================================================================================
open    closed  the chair; for a commune pre-check (no chair) an officer who manages the round; results
                are frozen, the pre-check's outcomes move the applications, the minutes are queued
======  ======  =====================================================================================

A closed round never reopens. Anything not in a table is illegal; a refusal changes nothing. Who may make a move is
a predicate of :mod:`apps.evaluation.rules`, the same one the views and the round page ask.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.services import audit_record
from apps.cycles.enums import ApplicationState
from apps.cycles.models import Application
from apps.cycles.services import application_transition

from ..eligibility import required_state
from ..enums import RoundState, SheetState, Tier
from ..models import CommunePreCheck, EvaluationRound, ScoreSheet
from ..rules import is_round_chair, is_sheet_member, may_close_round
from ..selectors import round_results
from .minutes import minutes_render_queue

if TYPE_CHECKING:
    from apps.accounts.models import User

    from ..models import RoundEntry


# Each legal move names the rules predicate (user, sheet or round) that says who may make it, and the refusal.
def _round_closing(user: Any, sheet: Any) -> bool:
    """Nobody locks a sheet by hand: :func:`round_transition` locks a round's submitted sheets when it closes."""
    return False


SHEET_TRANSITIONS: dict[tuple[str, str], Any] = {  # SheetState members, which are str
    (SheetState.DRAFT, SheetState.SUBMITTED): is_sheet_member,
    (SheetState.SUBMITTED, SheetState.REOPENED): is_round_chair,
    (SheetState.REOPENED, SheetState.SUBMITTED): is_sheet_member,
    (SheetState.SUBMITTED, SheetState.LOCKED): _round_closing,
}
SHEET_REFUSALS: dict[tuple[str, str], Any] = {
    (SheetState.DRAFT, SheetState.SUBMITTED): gettext_lazy("Only the member who scores this sheet may submit it."),
    (SheetState.SUBMITTED, SheetState.REOPENED): gettext_lazy("Only the chair of the council may reopen a sheet."),
    (SheetState.REOPENED, SheetState.SUBMITTED): gettext_lazy("Only the member who scores this sheet may submit it."),
    (SheetState.SUBMITTED, SheetState.LOCKED): gettext_lazy("A sheet is locked only by closing its round."),
}
# The audit action of each sheet move.
SHEET_ACTIONS: dict[tuple[str, str], str] = {
    (SheetState.DRAFT, SheetState.SUBMITTED): "evaluation.sheet_submitted",
    (SheetState.SUBMITTED, SheetState.REOPENED): "evaluation.sheet_reopened",
    (SheetState.REOPENED, SheetState.SUBMITTED): "evaluation.sheet_submitted",
}
ROUND_TRANSITIONS: dict[tuple[str, str], Any] = {
    (RoundState.OPEN, RoundState.CLOSED): may_close_round,
}


class SheetTransitionNotAllowed(ValidationError):
    """An illegal or stale move of a score sheet; nothing was changed."""


class RoundTransitionNotAllowed(ValidationError):
    """An illegal move of a round; nothing was changed."""


def require_round_open(round: EvaluationRound) -> None:
    """Refuse any change to a closed round's council, products or sheets."""
    if round.state != RoundState.OPEN:
        raise ValidationError(_("This round is closed; its sheets are locked."))


def lock_eligible_application(entry: "RoundEntry") -> Application:
    """Lock the entry's application; refuse scoring once it has left the step this round rates."""
    application = Application.objects.select_for_update().get(pk=entry.application_id)
    if application.state != required_state(entry.round):
        raise ValidationError(
            _("This application is now at the step “%(state)s”: it can no longer be scored in this round.")
            % {"state": ApplicationState(application.state).label}
        )
    return application


def _label(enum: Any, value: str) -> str:
    return str(enum(value).label) if value in enum.values else value


def _sheet_illegal(from_state: str, to_state: str) -> SheetTransitionNotAllowed:
    return SheetTransitionNotAllowed(
        _("A sheet in the state “%(from)s” cannot move to “%(to)s”. Nothing was changed.")
        % {"from": _label(SheetState, from_state), "to": _label(SheetState, to_state)},
        code="illegal",
    )


def _missing_criteria(sheet: ScoreSheet) -> list[str]:
    answered = set(sheet.answers.values_list("criterion_id", flat=True))
    return sorted(c.code for c in sheet.entry.template.criteria.all() if c.pk not in answered)


@transaction.atomic
def sheet_transition(*, sheet: ScoreSheet, to_state: str, by: "User", reason: str = "") -> ScoreSheet:
    """Move ``sheet`` to ``to_state`` as ``by``. The only function that changes a score sheet's state."""
    locked = (
        ScoreSheet.objects.select_for_update().select_related("round", "entry__template", "member").get(pk=sheet.pk)
    )
    from_state = locked.state
    require_round_open(locked.round)
    if to_state not in SheetState.values:
        raise SheetTransitionNotAllowed(_("Unknown sheet state."), code="unknown_state")
    may_move = SHEET_TRANSITIONS.get((from_state, to_state))
    if may_move is None:
        raise _sheet_illegal(from_state, to_state)
    if not may_move(by, locked):
        raise PermissionDenied(str(SHEET_REFUSALS[(from_state, to_state)]))
    if to_state == SheetState.SUBMITTED:
        lock_eligible_application(locked.entry)
        missing = _missing_criteria(locked)
        if missing:
            raise SheetTransitionNotAllowed(
                _("Choose an option for every criterion before submitting (missing: %(codes)s).")
                % {"codes": ", ".join(missing)},
                code="incomplete",
            )
    locked.state = to_state
    locked.submitted_at = timezone.now() if to_state == SheetState.SUBMITTED else None  # reopened: not yet again
    locked.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_record(
        action=SHEET_ACTIONS[(from_state, to_state)],
        obj=locked,
        by=by,
        before={"state": from_state},
        after={"state": to_state},
        reason=(reason or "").strip(),
    )
    sheet.state, sheet.submitted_at = locked.state, locked.submitted_at
    return locked


def _precheck_outcomes(
    round: EvaluationRound, entries: Iterable["RoundEntry"], prechecks: dict[int, CommunePreCheck], *, by: "User"
) -> None:
    """The pre-check's result moves each application: forwarded to the province, or not proposed."""
    expected = required_state(round)
    locked = {
        a.pk: a for a in Application.objects.select_for_update().filter(pk__in=[e.application_id for e in entries])
    }
    for entry in entries:
        application = locked[entry.application_id]
        precheck = prechecks[entry.pk]
        # An application that left the step meanwhile is not forwarded (and its state is left alone).
        entry.forwarded = precheck.passed and application.state == expected
        entry.save(update_fields=["forwarded"])
        if application.state != expected:
            continue
        application_transition(
            application=application,
            to_state=ApplicationState.FORWARDED_PROVINCE if precheck.passed else ApplicationState.NOT_PROPOSED,
            by=by,
            reason=precheck.reason,
            council_round=round,
        )


def _freeze_results(round: EvaluationRound, *, by: "User") -> Any:
    """Closing: freeze each product's result, or apply the pre-check. Refused while a product lacks one."""
    entries = list(round.entries.select_related("application__product"))
    if round.tier == Tier.COMMUNE:
        prechecks = {p.entry_id: p for p in CommunePreCheck.objects.filter(entry__round=round)}
        unchecked = [str(e.application.product) for e in entries if e.pk not in prechecks]
        if unchecked:
            raise ValidationError(_("Pre-check every product first: %(names)s.") % {"names": ", ".join(unchecked)})
        _precheck_outcomes(round, entries, prechecks, by=by)
        return
    results = round_results(round=round)
    short = [str(r.entry.application.product) for r in results if not r.quorum_met]
    if short:
        raise ValidationError(
            _(
                "No quorum yet for: %(names)s. Each product needs sheets from at least "
                "%(num)s/%(den)s of the members%(chair)s."
            )
            % {
                "names": ", ".join(short),
                "num": round.quorum_numerator,
                "den": round.quorum_denominator,
                "chair": _(", the chair included") if round.quorum_requires_chair else "",
            }
        )
    for r in results:
        entry = r.entry
        entry.total, entry.star_band, entry.stars = r.total, r.band, r.stars
        entry.missing_mandatory = [
            {"code": c.code, "text": c.text, "stars": c.mandatory_for_stars} for c in r.missing_mandatory
        ]
        entry.save(update_fields=["total", "star_band", "stars", "missing_mandatory"])


@transaction.atomic
def round_transition(*, round: EvaluationRound, to_state: str, by: "User") -> EvaluationRound:
    """Move ``round`` to ``to_state`` as ``by``. The only function that changes a round's state.

    Closing freezes each product's result (refused while one lacks quorum or a pre-check), moves the pre-checked
    applications, and queues the minutes; any refusal rolls all of it back.
    """
    locked = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    from_state = locked.state
    if to_state not in RoundState.values:
        raise RoundTransitionNotAllowed(_("Unknown round state."), code="unknown_state")
    may_move = ROUND_TRANSITIONS.get((from_state, to_state))
    if may_move is None:
        if from_state == RoundState.CLOSED:
            require_round_open(locked)
        raise RoundTransitionNotAllowed(
            _("A round in the state “%(from)s” cannot move to “%(to)s”. Nothing was changed.")
            % {"from": _label(RoundState, from_state), "to": _label(RoundState, to_state)},
            code="illegal",
        )
    if not may_move(by, locked):
        if locked.tier == Tier.COMMUNE:
            raise PermissionDenied(_("Only an officer who manages this pre-check may close it."))
        raise PermissionDenied(_("Only the chair of the council may close the round."))
    _freeze_results(locked, by=by)
    # The sheets that made the result are locked with it (one statement; the row history records each sheet, and
    # the round's audit event below names the results they gave).
    locked_sheets = ScoreSheet.objects.filter(round=locked, state=SheetState.SUBMITTED).update(
        state=SheetState.LOCKED, updated_at=timezone.now()
    )
    locked.state = to_state
    locked.closed_at = timezone.now()
    locked.closed_by = by
    update_fields = ["state", "closed_at", "closed_by"]
    if locked.tier != Tier.COMMUNE:
        # The minutes are rendered by a worker once this commits (rendering is slow and must not hold the lock).
        update_fields += minutes_render_queue(round=locked)
    locked.save(update_fields=update_fields)
    audit_record(
        action="evaluation.round_closed",
        obj=locked,
        by=by,
        before={"state": from_state},
        after={
            "state": to_state,
            "results": {str(e.pk): {"total": str(e.total), "stars": e.stars} for e in locked.entries.all()},
            "sheets_locked": locked_sheets,
        },
    )
    round.state, round.closed_at, round.closed_by = locked.state, locked.closed_at, locked.closed_by
    return locked
