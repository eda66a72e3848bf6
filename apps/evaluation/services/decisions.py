"""Recognition decisions: record what a closed round recognised, forwarded or refused, and issue certificates."""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application
from apps.cycles.services import application_transition

from ..eligibility import required_state
from ..enums import (
    FORWARD_THRESHOLDS,
    RECOGNISABLE_STARS,
    RoundState,
    Tier,
)
from ..models import (
    EvaluationRound,
    NonRecognition,
    RecognitionDecision,
    RecognitionItem,
    RoundEntry,
)
from ..signals import decision_recorded
from ..stars import LOWEST_RECOGNISED_STARS, RECOGNITION_FLOOR, reaches_recognition

if TYPE_CHECKING:
    from apps.accounts.models import User


def _refusal_reason(entry: RoundEntry, allowed: set[int]) -> str:
    if entry.total is not None and not reaches_recognition(entry.total):
        return _("Total %(total)s is below %(floor)s points: only %(stars)s★ and above are recognised.") % {
            "total": number_format(entry.total, 2),
            "floor": number_format(RECOGNITION_FLOOR),
            "stars": LOWEST_RECOGNISED_STARS,
        }
    if entry.missing_mandatory and (entry.stars or 0) < LOWEST_RECOGNISED_STARS:
        codes = ", ".join(m["code"] for m in entry.missing_mandatory)
        return _("Mandatory criteria not met (%(codes)s): no star can be recognised.") % {"codes": codes}
    stars = ", ".join(f"{s}★" for s in sorted(allowed))
    return _("This tier recognises %(allowed)s; the product reached %(stars)s★.") % {
        "allowed": stars,
        "stars": entry.stars,
    }


@transaction.atomic
def decision_record(
    *,
    round: EvaluationRound,
    number: str,
    date: datetime.date,
    issuer_name: str,
    signer_title: str,
    signer_name: str,
    by: "User",
    awards: dict[int, int] | None = None,
) -> RecognitionDecision:
    """Record the recognition decision for a closed round, forward the products above this tier, issue certificates.

    ``awards`` (``{entry_id: stars}``) overrides the proposal; each award must be a star this tier may give and
    not above the council's result.
    """
    round = EvaluationRound.objects.select_for_update().select_related("cycle", "unit").get(pk=round.pk)
    if round.state != RoundState.CLOSED:
        raise ValidationError(_("Close the round before recording the decision."))
    allowed = RECOGNISABLE_STARS.get((round.rule_set, round.tier))
    if not allowed:
        raise ValidationError(_("This tier does not recognise stars; it forwards products."))
    if round.decisions.exists():
        raise ValidationError(_("A decision was already recorded for this round."))
    entries = list(round.entries.select_related("application__product").order_by("pk"))
    # Lock the applications; only those still at the step this round rated can be decided. One that was returned
    # or withdrawn after the round closed (or entered by mistake) is left out: never recognised, never certified.
    expected = required_state(round)
    locked = {
        a.pk: a for a in Application.objects.select_for_update().filter(pk__in=[e.application_id for e in entries])
    }
    excluded = [
        {"product": e.application.product.name, "state": locked[e.application_id].state}
        for e in entries
        if locked[e.application_id].state != expected
    ]
    entries = [e for e in entries if locked[e.application_id].state == expected]
    if not entries:
        raise ValidationError(_("No product of this round is still at the step this round rated: nothing to decide."))
    awards = {int(k): int(v) for k, v in (awards or {}).items()}
    errors = []
    if set(awards) - {e.pk for e in entries}:
        errors.append(_("A product that this decision cannot cover was given stars."))
    for entry in entries:
        if entry.pk in awards:
            stars: int | None = awards[entry.pk]
            if stars not in allowed:
                errors.append(
                    _("%(product)s: this tier may recognise only %(allowed)s, not %(stars)s★.")
                    % {
                        "product": entry.application.product,
                        "allowed": ", ".join(f"{s}★" for s in sorted(allowed)),
                        "stars": stars,
                    }
                )
            elif stars > (entry.stars or 0):
                errors.append(
                    _("%(product)s: the council's result (%(result)s★) does not reach %(stars)s★.")
                    % {"product": entry.application.product, "result": entry.stars, "stars": stars}
                )
    if errors:
        raise ValidationError(errors)
    decision = RecognitionDecision(
        number=number,
        date=date,
        issuing_unit=round.unit,
        issuer_name=issuer_name,
        signer_title=signer_title,
        signer_name=signer_name,
        rule_set=round.rule_set,
        round=round,
        created_by=by,
    )
    decision.full_clean()
    decision.save()
    threshold = FORWARD_THRESHOLDS.get((round.rule_set, round.tier))
    forward_to = S.FORWARDED_PROVINCE if round.tier in (Tier.DISTRICT, Tier.COMMUNE) else S.FORWARDED_CENTRAL
    in_decision = _("Decision %(number)s") % {"number": number}
    recognised: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    forwarded: list[str] = []
    for entry in entries:
        application = locked[entry.application_id]
        stars = awards.get(entry.pk)
        goes_up = threshold is not None and entry.total is not None and entry.total >= threshold
        if stars is None and (entry.stars or 0) in allowed:
            stars = entry.stars
        if stars is None and goes_up and (entry.stars or 0) > max(allowed):
            entry.forwarded = True
            entry.save(update_fields=["forwarded"])
            forwarded.append(entry.application.product.name)
            application_transition(
                application=application, to_state=forward_to, by=by, reason=in_decision, council_round=round
            )
            continue
        if stars is None:
            reason = _refusal_reason(entry, allowed)
            NonRecognition.objects.create(decision=decision, entry=entry, total_score=entry.total or 0, reason=reason)
            refused.append({"product": entry.application.product.name, "reason": reason})
            application_transition(
                application=application,
                to_state=S.NOT_RECOGNISED,
                by=by,
                reason=f"{in_decision}: {reason}",
                council_round=round,
            )
            continue
        item = RecognitionItem(
            decision=decision,
            product=entry.application.product,
            application=entry.application,
            stars=stars,
            total_score=entry.total,  # type: ignore[misc]  # a recognised entry has been scored
        )
        item.full_clean()
        item.save()
        recognised.append({"product": item.product.name, "stars": stars})
        application_transition(
            application=application,
            to_state=S.RECOGNISED,
            stars=stars,
            by=by,
            reason=in_decision,
            council_round=round,
        )
    audit_record(
        action="evaluation.decision_recorded",
        obj=decision,
        by=by,
        after={
            "number": number,
            "recognised": recognised,
            "refused": refused,
            "forwarded": forwarded,
            "excluded": excluded,
        },
    )
    # The certificates app (above this one) issues the certificates, in this transaction.
    decision_recorded.send(sender=RecognitionDecision, decision=decision)
    return decision
