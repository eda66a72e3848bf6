"""Products in a round: adding one (only when the state machine allows it) and removing one, with a reason."""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cycles.models import Application

from ..eligibility import entry_refusal
from ..enums import COUNTED_SHEET_STATES, RoundState
from ..models import EvaluationRound, RoundEntry
from ..selectors import template_for

if TYPE_CHECKING:
    from apps.accounts.models import User


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("cycle", "product__commune", "product__product_set")
        .get(pk=application.pk)
    )


@transaction.atomic
def entry_add(*, round: EvaluationRound, application: Application, by: "User") -> RoundEntry:
    """Assign ``application`` to ``round``. Refused, with the reason, unless the application's state allows it."""
    round = EvaluationRound.objects.select_related("cycle", "unit").get(pk=round.pk)
    if round.state != RoundState.OPEN:
        raise ValidationError(_("This round is closed; its sheets are locked."))
    if not by.has_perm("evaluation.manage_round", round):
        raise PermissionDenied(_("Only an officer who manages this round may assign products to it."))
    # Lock the application: a return or a withdrawal cannot slip in between the check and the entry.
    locked = _lock_application(application)
    refusal = entry_refusal(round, locked)
    if refusal:
        raise ValidationError(refusal, code="not_eligible")
    template = template_for(rule_set=round.rule_set, product_set=locked.product.product_set)
    if template is None:
        raise ValidationError(_("No score sheet is loaded for this product set and rule set."))
    entry = RoundEntry(round=round, application=locked, template=template)
    entry.full_clean()
    entry.save()
    audit_record(action="evaluation.entry_added", obj=entry, by=by, after={"application": locked.pk})
    return entry


def _remove(entry: RoundEntry, *, by: "User | None", reason: str) -> None:
    before = {
        "application": entry.application_id,
        "product": entry.application.product.name,
        "round": entry.round_id,
        "sheets": entry.sheets.count(),
    }
    audit_record(
        action="evaluation.entry_removed", obj=entry, by=by, before=before, reason=reason, unit=entry.round.unit
    )
    entry.delete()


@transaction.atomic
def entry_remove(*, entry: RoundEntry, reason: str, by: "User") -> None:
    """Take a product out of an open round, with a reason, until scoring starts (no submitted sheet, no pre-check)."""
    entry = RoundEntry.objects.select_related("round__cycle", "round__unit", "application__product").get(pk=entry.pk)
    round = EvaluationRound.objects.select_for_update().get(pk=entry.round_id)
    if not by.has_perm("evaluation.manage_round", round):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for removing this product from the round.")})
    _lock_application(entry.application)
    if entry.sheets.filter(state__in=COUNTED_SHEET_STATES).exists() or hasattr(entry, "precheck"):
        raise ValidationError(
            _("Scoring of “%(product)s” has started: it can no longer be removed from the round.")
            % {"product": entry.application.product.name}
        )
    _remove(entry, by=by, reason=reason)


def entries_remove_for_application(*, application: Application, by: "User | None", reason: str) -> None:
    """Remove a returned or withdrawn application from every open round (called by the state machine)."""
    entries = RoundEntry.objects.filter(application=application, round__state=RoundState.OPEN).select_related(
        "round__unit", "application__product"
    )
    for entry in entries:
        _remove(entry, by=by, reason=reason)
